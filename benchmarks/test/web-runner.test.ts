/**
 * The browser runner, built with Vite and run in headless Chromium (Debian's `chromium` driven by
 * playwright-core), completes a short run of a wall-clock pass and a no-WASM pass, and its JSON
 * validates against the same schema as the Node runner's, which is run here too for comparison.
 */
import { execFile } from 'node:child_process'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type ResultsDocument, validateResults } from '../src/results.ts'
import { buildWebRunner, type HeadlessRun, runInChromium } from '../src/web-headless.ts'

const FILTER = 'keccak256-64b'
let dir: string
let browserRun: HeadlessRun
let nodeDocument: ResultsDocument
const consoleLines: string[] = []

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'parley-web-test-'))
  const runner = fileURLToPath(new URL('../src/run.ts', import.meta.url))
  const results = join(dir, 'node.json')
  const nodeRun = promisify(execFile)(
    process.execPath,
    [runner, '--filter', FILTER, '--rounds', '1', '--ms', '20', '--results', results],
    { timeout: 60_000 },
  )
  await buildWebRunner(join(dir, 'page'))
  browserRun = await runInChromium({
    dir: join(dir, 'page'),
    rounds: 1,
    sliceMs: 20,
    filter: FILTER,
    noWasmPass: true,
    timeoutMs: 60_000,
    onConsole: (line) => consoleLines.push(line),
  })
  await nodeRun
  nodeDocument = JSON.parse(await readFile(results, 'utf8')) as ResultsDocument
}, 120_000)

afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('browser runner in headless Chromium', () => {
  it('completes a run whose JSON validates against the results schema', () => {
    expect(browserRun.pageErrors, consoleLines.join('\n')).toEqual([])
    expect(validateResults(browserRun.document)).toEqual([])
    expect(browserRun.document.mode).toBe('wall-clock')
    expect(browserRun.document.settings).toMatchObject({ rounds: 1, sliceMs: 20, filter: FILTER })
  })

  it('records the runtime: Chromium, V8, WASM with SIMD, cores, user agent', () => {
    const [first] = browserRun.document.passes
    expect(first!.runtime).toMatchObject({
      kind: 'browser',
      engine: 'V8',
      wasm: true,
      wasmSimd: true,
      wasmDisabled: false,
      userAgent: browserRun.userAgent,
    })
    expect(first!.runtime.runtime).toMatch(/^Chrome \d+/)
    expect(first!.runtime.hardwareConcurrency).toBeGreaterThan(0)
  })

  it('runs every provider, then only JavaScript in the no-WASM pass', () => {
    const [withWasm, withoutWasm] = browserRun.document.passes
    const measured = (pass: typeof withWasm) =>
      pass!.cases.filter((c) => c.status === 'measured').map((c) => [c.id, c.providerKind])
    expect(measured(withWasm)).toEqual([
      [`${FILTER}/wasm`, 'wasm'],
      [`${FILTER}/js`, 'js'],
    ])
    expect(withoutWasm!.runtime).toMatchObject({ wasm: false, wasmSimd: false, wasmDisabled: true })
    expect(measured(withoutWasm)).toEqual([[`${FILTER}/js`, 'js']])
    for (const c of withWasm!.cases.filter((record) => record.status === 'measured')) {
      expect(c.median).toBeGreaterThan(0)
      expect(c.rounds).toHaveLength(1)
    }
  })

  it('records what it skipped and why, not silently', () => {
    const skipped = browserRun.document.passes[0]!.cases.filter((c) => c.status === 'skipped')
    expect(skipped.map((c) => c.id)).toContain('native reference')
    for (const c of skipped) expect(c.skipReason).toMatch(/needs Node/)
  })

  it('writes the same schema as the Node runner, case for case', () => {
    expect(validateResults(nodeDocument)).toEqual([])
    expect(nodeDocument.passes[0]!.runtime).toMatchObject({ kind: 'node', engine: 'V8', jit: true })
    const ids = (document: ResultsDocument) =>
      document.passes[0]!.cases.filter((c) => c.status === 'measured').map((c) => c.id)
    expect(ids(browserRun.document)).toEqual(ids(nodeDocument))
    // the Node runner has the C reference; the browser says it has none
    expect(nodeDocument.passes[0]!.cases.every((c) => c.ratio !== null)).toBe(true)
    expect(browserRun.document.passes[0]!.cases.every((c) => c.ratio === null)).toBe(true)
  })
})
