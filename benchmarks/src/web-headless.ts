/**
 * Builds the browser runner (Vite) and runs it in headless Chromium through playwright-core: what
 * `pnpm bench:web --run` and the test do. Chromium is Debian's `chromium` unless $PARLEY_BENCH_CHROMIUM
 * names another executable; the network it sees is the loopback server of `serveBenchPage`.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { AbortError, type AbortOptions, TimeoutError, UnsupportedError } from '@parley/interfaces'
import type { ResultsDocument } from './results.ts'
import { serveBenchPage } from './serve.ts'

export const WEB_CONFIG = fileURLToPath(new URL('../web/vite.config.ts', import.meta.url))

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

/** `vite build` of benchmarks/web into `outDir` (default benchmarks/web/dist). */
export async function buildWebRunner(outDir?: string): Promise<void> {
  const { build } = await import('vite')
  await build({
    configFile: WEB_CONFIG,
    logLevel: 'warn',
    ...(outDir === undefined ? {} : { build: { outDir, emptyOutDir: true } }),
  })
}

export interface HeadlessRunOptions extends AbortOptions {
  /** a built page (buildWebRunner) */
  dir: string
  rounds: number
  sliceMs: number
  filter?: string
  noWasmPass: boolean
  timeoutMs: number
  chromium?: string
  /** console lines and page errors, for diagnostics */
  onConsole?(line: string): void
}

export interface HeadlessRun {
  document: ResultsDocument
  /** what the page's own schema check found (empty when valid) */
  pageErrors: string[]
  userAgent: string
}

/** What the page exposes, as seen from the functions evaluated in it (this package has no DOM types). */
interface PageGlobals {
  document: {
    documentElement: { dataset: Record<string, string | undefined> }
    getElementById(id: string): { textContent: string | null } | null
  }
  navigator: { userAgent: string }
  parleyBenchResults?: ResultsDocument
  parleyBenchErrors?: string[]
}

export async function runInChromium(options: HeadlessRunOptions): Promise<HeadlessRun> {
  if (options.signal?.aborted) throw new AbortError()
  const { chromium } = await import('playwright-core')
  const executablePath = options.chromium ?? process.env.PARLEY_BENCH_CHROMIUM ?? '/usr/bin/chromium'
  const server = await serveBenchPage({ dir: options.dir, port: 0 })
  const profile = await mkdtemp(join(tmpdir(), 'parley-chromium-'))
  let browser: Awaited<ReturnType<typeof chromium.launchPersistentContext>> | undefined
  try {
    // a fresh profile per run: nothing cached from an earlier build
    browser = await chromium
      .launchPersistentContext(profile, { executablePath, headless: true, args: CHROMIUM_ARGS })
      .catch((cause: unknown) => {
        throw new UnsupportedError(
          `cannot start Chromium at ${executablePath} (apt-get install chromium, or set PARLEY_BENCH_CHROMIUM): ${cause instanceof Error ? cause.message.split('\n')[0] : String(cause)}`,
          { cause },
        )
      })
    const page = await browser.newPage()
    page.on('console', (message) => options.onConsole?.(`console.${message.type()}: ${message.text()}`))
    page.on('pageerror', (error) => options.onConsole?.(`pageerror: ${error.message}`))
    const query = new URLSearchParams({
      rounds: String(options.rounds),
      ms: String(options.sliceMs),
      filter: options.filter ?? '',
      nowasm: options.noWasmPass ? '1' : '0',
      autorun: '1',
    })
    await page.goto(`${server.url}?${query}`)
    const abort = () => void browser?.close()
    options.signal?.addEventListener('abort', abort, { once: true })
    try {
      await page.waitForFunction(
        () =>
          ['done', 'error'].includes(
            (globalThis as unknown as PageGlobals).document.documentElement.dataset.state ?? '',
          ),
        undefined,
        { timeout: options.timeoutMs, polling: 100 },
      )
    } catch (cause) {
      if (options.signal?.aborted) throw new AbortError()
      const status = await page.textContent('#status').catch(() => null)
      throw new TimeoutError(`the page did not finish in ${options.timeoutMs} ms (status: ${status})`, {
        cause,
      })
    } finally {
      options.signal?.removeEventListener('abort', abort)
    }
    const outcome = await page.evaluate(() => {
      const g = globalThis as unknown as PageGlobals
      return {
        state: g.document.documentElement.dataset.state,
        status: g.document.getElementById('status')?.textContent ?? '',
        document: g.parleyBenchResults,
        errors: g.parleyBenchErrors ?? [],
        userAgent: g.navigator.userAgent,
      }
    })
    if (outcome.document === undefined)
      throw new UnsupportedError(`the page ended in state ${outcome.state}: ${outcome.status}`)
    return {
      document: outcome.document as ResultsDocument,
      pageErrors: outcome.errors,
      userAgent: outcome.userAgent,
    }
  } finally {
    await browser?.close()
    await server.close()
    await rm(profile, { recursive: true, force: true })
  }
}
