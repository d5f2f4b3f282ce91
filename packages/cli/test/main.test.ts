import { readFileSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadCrypto } from '@parley/crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../src/config/load.ts'
import { configSchema } from '../src/config/schema.ts'
import { runCli } from './run.ts'

const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  version: string
}

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'parley-cli-main-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('parley --help / --version', () => {
  it('--version prints the package version', async () => {
    const { code, stdout, stderr } = await runCli(['--version'])
    expect(code).toBe(0)
    expect(stdout).toBe(`parley ${manifest.version}\n`)
    expect(stderr).toBe('')
  })

  it('--help lists every command and the precedence rule', async () => {
    for (const argv of [['--help'], ['-h'], ['help']]) {
      const { code, stdout } = await runCli(argv)
      expect(code).toBe(0)
      for (const command of [
        'start',
        'demo',
        'dumpconfig',
        'key generate',
        'topic <name>',
        'envelope inspect <hex>',
        'pow seal',
        'history',
      ])
        expect(stdout).toContain(`  ${command} `)
      expect(stdout).toContain('flags > PARLEY_* environment variables > --config-file TOML > defaults')
    }
  })

  it('start --help documents every configuration option with its variable and default', async () => {
    const { code, stdout } = await runCli(['start', '--help'])
    expect(code).toBe(0)
    expect(stdout).toContain('--config-file <path>')
    for (const key of Object.keys(configSchema)) expect(stdout).toContain(`--${key}`)
    expect(stdout).toContain('      env PARLEY_METRICS_SERVER_PORT, default 8008\n')
    expect(stdout).toContain('      env PARLEY_CONFIG_FILE\n')
    expect(await runCli(['help', 'start'])).toMatchObject({ code: 0, stdout })
  })

  it('no arguments prints the help on stderr and exits 2', async () => {
    const { code, stdout, stderr } = await runCli([])
    expect(code).toBe(2)
    expect(stdout).toBe('')
    expect(stderr).toContain('Usage: parley <command>')
  })
})

describe('usage errors: one line on stderr, exit 2', () => {
  const cases: Array<[string[], RegExp]> = [
    [['strat'], /^parley: unknown command "strat" \(did you mean start\?\)/],
    [['key'], /^parley: parley key needs a subcommand: generate$/],
    [['key', 'gen'], /^parley: parley key needs a subcommand, not "gen": generate$/],
    [['dumpconfig', '--log-levl=debug'], /^parley: unknown flag: --log-levl \(did you mean --log-level\?\)$/],
    [['dumpconfig', '--nope', '--also-nope'], /^parley: unknown flags: --nope, --also-nope$/],
    [['dumpconfig', '--format', 'xml'], /^parley: flag --format: expected one of toml, json, got "xml"$/],
    [['dumpconfig', '--log-level'], /^parley: flag --log-level needs a value$/],
    [['dumpconfig', 'extra'], /^parley: parley dumpconfig takes no argument "extra"$/],
    [['key', 'generate', '--log-level=debug'], /^parley: unknown flag: --log-level$/],
    [
      ['dumpconfig', '--metrics-server-port=x'],
      /^parley: invalid configuration: metrics-server-port from flag/,
    ],
  ]
  for (const [argv, expected] of cases) {
    it(`parley ${argv.join(' ')}`, async () => {
      const { code, stdout, stderr } = await runCli(argv)
      expect(code).toBe(2)
      expect(stdout).toBe('')
      expect(stderr.trimEnd()).toMatch(expected)
      expect(stderr.trimEnd().split('\n')).toHaveLength(1)
    })
  }

  it('an unknown PARLEY_ variable is named', async () => {
    const { code, stderr } = await runCli(['dumpconfig'], { PARLEY_METRICS_PORT: '1' })
    expect(code).toBe(2)
    expect(stderr).toMatch(/^parley: unknown configuration keys: environment: PARLEY_METRICS_PORT/)
  })

  it("leaves the test and benchmark tooling's PARLEY_TEST_ and PARLEY_BENCH_ variables alone", async () => {
    const tooling = { PARLEY_TEST_POSTGRES_URL: 'postgres://x', PARLEY_BENCH_CHROMIUM: '/usr/bin/chromium' }
    const { code, stderr } = await runCli(['dumpconfig'], tooling)
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' })
  })
})

describe('parley key generate', () => {
  it('prints a private key, its uncompressed public key and node id as JSON', async () => {
    const { code, stdout, stderr } = await runCli(['key', 'generate'])
    expect(code).toBe(0)
    expect(stderr).toBe('')
    expect(stdout.endsWith('\n')).toBe(true)
    const key = JSON.parse(stdout) as Record<string, string>
    expect(Object.keys(key)).toEqual(['privateKey', 'publicKey', 'nodeId'])
    expect(key.privateKey).toMatch(/^[0-9a-f]{64}$/)
    expect(key.publicKey).toMatch(/^04[0-9a-f]{128}$/)
    expect(key.nodeId).toBe(key.publicKey?.slice(2))

    const { secp256k1 } = await loadCrypto()
    const derived = secp256k1.getPublicKey(Buffer.from(key.privateKey ?? '', 'hex'), false)
    expect(Buffer.from(derived).toString('hex')).toBe(key.publicKey)
  })

  it('--compressed prints the 33-byte public key and the same kind of node id', async () => {
    const { code, stdout } = await runCli(['key', 'generate', '--compressed'])
    expect(code).toBe(0)
    const key = JSON.parse(stdout) as Record<string, string>
    expect(key.publicKey).toMatch(/^0[23][0-9a-f]{64}$/)
    expect(key.nodeId).toMatch(/^[0-9a-f]{128}$/)
    expect(key.nodeId?.slice(0, 64)).toBe(key.publicKey?.slice(2))
  })

  it('gives a new key each time', async () => {
    const first = JSON.parse((await runCli(['key', 'generate'])).stdout) as { privateKey: string }
    const second = JSON.parse((await runCli(['key', 'generate'])).stdout) as { privateKey: string }
    expect(first.privateKey).not.toBe(second.privateKey)
  })
})

describe('parley dumpconfig', () => {
  const settings = ['--name=dumped', '--metrics-server', '--metrics-server-port=9100', '--log-format=json']
  const env = { PARLEY_LOG_LEVEL: 'debug' }

  it('prints TOML that loads back to the same configuration', async () => {
    const file = join(dir, 'base.toml')
    await writeFile(file, 'metrics-server-address = "0.0.0.0"\n')
    const { code, stdout } = await runCli(['dumpconfig', `--config-file=${file}`, ...settings], env)
    expect(code).toBe(0)
    expect(stdout).toContain('log-level = "debug"')
    expect(stdout).toContain('metrics-server-port = 9100')

    const dumped = join(dir, 'dumped.toml')
    await writeFile(dumped, stdout)
    const original = await loadConfig(configSchema, {
      configFile: file,
      env,
      flags: new Map(
        settings
          .map((flag) => flag.slice(2).split('='))
          .map(([key, value]) => [key ?? '', [value ?? 'true']]),
      ),
    })
    const reloaded = await loadConfig(configSchema, { configFile: dumped })
    expect(reloaded.values).toEqual(original.values)
    expect(reloaded.values['metrics-server-address']).toBe('0.0.0.0')
  })

  it('--format json prints the same values as one JSON object', async () => {
    const toml = await runCli(['dumpconfig', ...settings], env)
    const json = await runCli(['dumpconfig', '--format', 'json', ...settings], env)
    expect(json.code).toBe(0)
    const values = JSON.parse(json.stdout) as Record<string, unknown>
    const reloaded = await loadConfig(configSchema, { configFile: await tomlOf(toml.stdout) })
    expect(values).toEqual(reloaded.values)
    expect(values['log-level']).toBe('debug')
  })

  it('leaves the node key out and says so', async () => {
    const nodekey = 'a'.repeat(64)
    const toml = await runCli(['dumpconfig', `--nodekey=${nodekey}`])
    const json = await runCli(['dumpconfig', '--format=json'], { PARLEY_NODEKEY: nodekey })
    expect(toml.code).toBe(0)
    expect(toml.stdout).not.toContain(nodekey)
    expect(toml.stdout).toContain('# nodekey is set but not printed (secret)')
    expect(json.stdout).not.toContain(nodekey)
  })
})

async function tomlOf(text: string): Promise<string> {
  const path = join(dir, `dump-${Math.random().toString(16).slice(2)}.toml`)
  await writeFile(path, text)
  return path
}
