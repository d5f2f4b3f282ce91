import { describe, expect, it } from 'vitest'
import { createDemoCommand } from '../src/commands/demo.ts'
import { loadConfig } from '../src/config/load.ts'
import { configSchema } from '../src/config/schema.ts'
import { runCli } from './run.ts'

interface Report {
  demo: string
  checks: Array<{ name: string; ok: boolean; ms: number; detail?: string; error?: string }>
}

const FOUNDATION_CHECKS = [
  'core.compose',
  'core.missing-capability',
  'core.failed-start-cleans-up',
  'crypto.keccak256',
  'crypto.secp256k1',
  'crypto.ecies',
  'crypto.pow',
  'store.memory',
  'metrics.scrape',
  'whisper.relay',
  'whisper.reject-low-pow',
  'whisper.symmetric',
  'whisper.asymmetric',
  'waku1.symmetric',
  'waku1.direct-p2p',
  'discovery.rendezvous',
  'peerpool.cache-restart',
  'waku2.relay',
  'waku2.lightpush-filter',
  'waku2.store',
  'bridge.v1-to-v2',
  'bridge.v2-to-v1',
  'bridge.whisper-to-waku1',
  'chat.public',
  'chat.one-to-one',
  'chat.group',
  'chat.offline-history',
]

describe('parley demo', () => {
  it('passes every check and ends with the JSON report line', async () => {
    const { code, stdout, stderr } = await runCli(['demo'])
    const lines = stdout.trimEnd().split('\n')
    const report = JSON.parse(lines.at(-1) ?? '') as Report
    const failed = report.checks.filter((check) => !check.ok)
    expect(failed, stderr).toEqual([])
    expect(code).toBe(0)
    expect(report.demo).toBe('parley')
    expect(report.checks.map((check) => check.name)).toEqual(expect.arrayContaining(FOUNDATION_CHECKS))
    for (const check of report.checks) {
      expect(typeof check.ms).toBe('number')
      expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^✓ ${check.name.replace('.', '\\.')} `)))
    }
    expect(report.checks.find((check) => check.name === 'crypto.secp256k1')?.detail).toMatch(/provider/)
    expect(lines.at(-2)).toBe(`${report.checks.length} of ${report.checks.length} checks passed`)
  }, 90_000) // some 30 networked checks in a row: seconds each on a busy machine

  it('exits 1 when a check fails, still printing the report', async () => {
    let stdout = ''
    const command = createDemoCommand([
      { name: 't.ok', run: async () => {} },
      {
        name: 't.broken',
        run: async () => {
          throw new Error('deliberately broken')
        },
      },
    ])
    const code = await command.run({
      io: { stdout: { write: (text: string) => (stdout += text) }, stderr: { write: () => {} }, env: {} },
      flags: {},
      args: [],
      config: await loadConfig(configSchema, { env: {} }),
      signal: new AbortController().signal,
    })
    expect(code).toBe(1)
    expect(stdout).toContain('✗ t.broken')
    const report = JSON.parse(stdout.trimEnd().split('\n').at(-1) ?? '') as Report
    expect(report.checks).toMatchObject([
      { name: 't.ok', ok: true },
      { name: 't.broken', ok: false, error: 'deliberately broken' },
    ])
  })
})
