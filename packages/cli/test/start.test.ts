import { describe, expect, it } from 'vitest'
import { storeFromUrl } from '../src/node/compose.ts'
import { runCli, scrape, whileStarted } from './run.ts'

const METRICS_LINE = /^metrics: (http:\/\/127\.0\.0\.1:\d+\/metrics)$/m

describe('parley start', () => {
  it('serves metrics at the printed URL until stopped, then frees the port and exits 0', async () => {
    let url = ''
    const result = await whileStarted(
      ['--metrics-server', '--metrics-server-port=0', '--name=start-test', '--log-level=silent'],
      (stdout) => METRICS_LINE.test(stdout),
      async (stdout) => {
        url = METRICS_LINE.exec(stdout)?.[1] ?? ''
        const response = await scrape(url)
        expect(response.status).toBe(200)
        expect(response.body).toMatch(/^parley_plugin_start_seconds/m)
      },
    )
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/^node "start-test" started, node id [0-9a-f]{128} \(new key/m)
    expect(result.stdout.trimEnd().split('\n').at(-1)).toBe('node "start-test" stopped')
    await expect(scrape(url)).rejects.toThrow(/ECONNREFUSED/)
  })

  it('takes its identity from the node key (here from PARLEY_NODEKEY)', async () => {
    const key = JSON.parse((await runCli(['key', 'generate'])).stdout) as {
      privateKey: string
      nodeId: string
    }
    const result = await whileStarted(
      ['--log-level=silent'],
      (stdout) => stdout.includes('started'),
      async () => {},
      { PARLEY_NODEKEY: key.privateKey },
    )
    expect(result.code).toBe(0)
    expect(result.stdout).toContain(`started, node id ${key.nodeId}\n`)
  })

  it('refuses a store URL no store speaks, with exit code 2', async () => {
    const { code, stderr } = await runCli(['start', '--store-message-db-url=mongodb://localhost/parley'])
    expect(code).toBe(2)
    expect(stderr.trimEnd()).toBe(
      'parley: store-message-db-url "mongodb://localhost/parley": no store speaks mongodb; use sqlite://<path>, postgres://…, level://<directory> or memory://',
    )
  })

  it('picks the store by URL scheme', () => {
    const cases: Array<[string, string]> = [
      ['memory://', 'store-memory'],
      ['sqlite://archive.sqlite3', 'store-sqlite'],
      ['postgres://parley@localhost:5432/parley', 'store-postgres'],
      ['postgresql://parley@localhost/parley', 'store-postgres'],
      ['level:///var/lib/parley/mail', 'store-level'],
    ]
    for (const [url, name] of cases) expect(storeFromUrl(url).name, url).toBe(name)
  })

  it('refuses a nodekey outside the curve order, with exit code 2', async () => {
    const { code, stderr } = await runCli(['start', `--nodekey=${'f'.repeat(64)}`, '--log-level=warn'])
    expect(code).toBe(2)
    expect(stderr).toMatch(/^parley: nodekey is not a valid secp256k1 private key/)
  })

  it('fails with exit code 1 and one line when the metrics port is taken', async () => {
    let port = 0
    await whileStarted(
      ['--metrics-server', '--metrics-server-port=0', '--log-level=silent'],
      (stdout) => METRICS_LINE.test(stdout),
      async (stdout) => {
        port = Number(new URL(METRICS_LINE.exec(stdout)?.[1] ?? '').port)
        const second = await runCli([
          'start',
          '--metrics-server',
          `--metrics-server-port=${port}`,
          '--log-level=silent',
        ])
        expect(second.code).toBe(1)
        expect(second.stderr).toMatch(new RegExp(`^parley: .*127\\.0\\.0\\.1:${port}.*\\n$`))
      },
    )
  })
})
