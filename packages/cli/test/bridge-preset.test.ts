import { describe, expect, it } from 'vitest'
import { configPresets } from '../src/config/presets.ts'
import { resolveConfig } from '../src/config/resolve.ts'
import { configSchema } from '../src/config/schema.ts'
import { bridgePlugins } from '../src/node/bridge.ts'
import { runCli, whileStarted } from './run.ts'

const resolve = (flags: Record<string, string[]>, env: Record<string, string> = {}) =>
  resolveConfig(configSchema, { flags: new Map(Object.entries(flags)), env, presets: configPresets })

describe('--preset bridge', () => {
  it('turns on every protocol, the bridge, relay and store, as preset defaults', () => {
    const { values, origins } = resolve({ preset: ['bridge'] })
    expect(values.protocol).toEqual(['whisper', 'waku1', 'waku2'])
    expect([values.bridge, values.relay, values.store, values.mailserver]).toEqual([true, true, true, false])
    expect([origins.protocol, origins.bridge, origins.mailserver]).toEqual(['preset', 'preset', 'default'])
    expect(bridgePlugins(values).map((plugin) => plugin.name)).toEqual(['bridge'])
  })

  it('yields to the environment and to flags, and can come from the environment', () => {
    const { values, origins } = resolve(
      { store: ['false'] },
      { PARLEY_PRESET: 'bridge', PARLEY_PROTOCOL: 'whisper,waku2' },
    )
    expect(values.protocol).toEqual(['whisper', 'waku2'])
    expect([values.store, origins.store, values.bridge]).toEqual([false, 'flag', true])
  })

  it('refuses an unknown preset with the names it knows', () => {
    expect(() => resolve({ preset: ['bridges'] })).toThrow(
      /preset from flag --preset: "bridges": expected one of bridge/,
    )
  })
})

describe('--bridge', () => {
  it('needs two sides, counting waku2 only with relay', () => {
    const bridgeOf = (flags: Record<string, string[]>) =>
      bridgePlugins(resolve({ bridge: ['true'], ...flags }).values)
    expect(() => bridgeOf({ protocol: ['waku1'] })).toThrow(/only waku1/)
    expect(() => bridgeOf({ protocol: ['whisper', 'waku2'], relay: ['false'] })).toThrow(/only whisper/)
    expect(bridgeOf({ protocol: ['whisper', 'waku1'] })).toHaveLength(1)
    expect(bridgePlugins(resolve({ protocol: ['whisper', 'waku1'] }).values)).toEqual([])
  })
})

describe('parley start --preset bridge', () => {
  it('runs the three protocols and the bridge in one node, and says so', async () => {
    const argv = [
      '--preset',
      'bridge',
      '--listen-address',
      '127.0.0.1',
      '--devp2p-port',
      '0',
      '--tcp-port',
      '0',
    ]
    const { code, stdout } = await whileStarted(
      argv,
      (out) => out.includes('bridge: '),
      async () => {},
    )
    expect(code).toBe(0)
    expect(stdout).toMatch(/^protocols: whisper,waku1$/m)
    expect(stdout).toMatch(/^libp2p: \/ip4\/127\.0\.0\.1\/tcp\/\d+\/p2p\//m)
    expect(stdout).toMatch(/^bridge: whisper,waku1,waku2$/m)
  })

  it('exits 2 for --bridge on one protocol', async () => {
    const { code, stderr } = await runCli(['start', '--protocol', 'waku1', '--bridge'])
    expect([code, stderr]).toEqual([
      2,
      expect.stringMatching(/--bridge needs two of whisper, waku1 and waku2/),
    ])
  })
})
