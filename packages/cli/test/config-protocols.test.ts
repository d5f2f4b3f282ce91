import { describe, expect, it } from 'vitest'
import { loadConfig } from '../src/config/load.ts'
import { configReplacements, configSchema } from '../src/config/schema.ts'
import { runCli } from './run.ts'

const flags = (entries: Record<string, string[]>) => new Map(Object.entries(entries))
const load = (inputs: Parameters<typeof loadConfig>[1]) =>
  loadConfig(configSchema, { ...inputs, replaced: configReplacements })
const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => '',
    (error: Error) => error.message,
  )

describe('protocol', () => {
  it('takes whisper and waku1, repeated or comma-separated, in the order given', async () => {
    expect((await load({ flags: flags({ protocol: ['waku1', 'whisper'] }) })).values.protocol).toEqual([
      'waku1',
      'whisper',
    ])
    expect((await load({ env: { PARLEY_PROTOCOL: 'whisper,waku1' } })).values.protocol).toEqual([
      'whisper',
      'waku1',
    ])
  })

  it('takes waku2 alongside them', async () => {
    const values = (await load({ flags: flags({ protocol: ['whisper,waku2'] }) })).values
    expect(values.protocol).toEqual(['whisper', 'waku2'])
  })

  it('refuses another protocol or one given twice', async () => {
    expect(await failure(load({ flags: flags({ protocol: ['waku3'] }) }))).toContain(
      'protocol from flag --protocol: "waku3": expected one of whisper, waku1, waku2',
    )
    expect(await failure(load({ flags: flags({ protocol: ['waku1,waku1'] }) }))).toContain(
      '"waku1": given twice',
    )
  })
})

describe('replaced keys', () => {
  it('answer an old flag with its replacement, exit 2', async () => {
    const cases: Array<[string[], string]> = [
      [['--whisper'], '--whisper (replaced by --protocol=whisper)'],
      [['--whisper-min-pow', '0.2'], '--whisper-min-pow (replaced by --min-pow)'],
      [['--whisper-light-node'], '--whisper-light-node (replaced by --light-node)'],
    ]
    for (const [argv, expected] of cases) {
      const { code, stderr } = await runCli(['start', ...argv])
      expect(code).toBe(2)
      expect(stderr).toBe(`parley: unknown flag: ${expected}\n`)
    }
  })

  it('answer an old variable or file key the same way', async () => {
    const { code, stderr } = await runCli(['dumpconfig'], { PARLEY_WHISPER: 'true' })
    expect(code).toBe(2)
    expect(stderr).toContain('environment: PARLEY_WHISPER (replaced by PARLEY_PROTOCOL=whisper)')
    const message = await failure(load({ env: { PARLEY_WHISPER_LIGHT_NODE: '1' } }))
    expect(message).toContain('PARLEY_WHISPER_LIGHT_NODE (replaced by PARLEY_LIGHT_NODE)')
  })
})

describe('rpc options', () => {
  it('default to no API, 127.0.0.1:8545 when enabled, no WebSocket, no CORS', async () => {
    const { values } = await load({})
    expect(values).toMatchObject({ rpc: false, 'rpc-address': '127.0.0.1', 'rpc-port': 8545, 'rpc-cors': [] })
    expect(values['ws-rpc-port']).toBeUndefined()
  })

  it('read every source and validate address, ports and origins', async () => {
    const { values } = await load({
      env: { PARLEY_RPC: 'yes', PARLEY_WS_RPC_PORT: '8546' },
      flags: flags({ 'rpc-cors': ['https://example.org,*,localhost,http://[::1]:3000/'], 'rpc-port': ['0'] }),
    })
    expect(values).toMatchObject({
      rpc: true,
      'rpc-port': 0,
      'ws-rpc-port': 8546,
      'rpc-cors': ['https://example.org', '*', 'localhost', 'http://[::1]:3000/'],
    })
    const message = await failure(
      load({
        flags: flags({
          'rpc-address': ['localhost'],
          'ws-rpc-port': ['65536'],
          'rpc-cors': ['https://example.org/app'],
        }),
      }),
    )
    expect(message).toContain('rpc-address from flag --rpc-address: expected an IPv4 or IPv6 address')
    expect(message).toContain('ws-rpc-port from flag --ws-rpc-port: expected an integer from 0 to 65535')
    expect(message).toContain('"https://example.org/app": expected *, or [scheme://]host[:port]')
  })

  it('leave an unset WebSocket port out of dumpconfig, and print a set one', async () => {
    expect((await runCli(['dumpconfig'])).stdout).toContain('# ws-rpc-port is unset\n')
    const json = JSON.parse((await runCli(['dumpconfig', '--format=json', '--ws-rpc-port=9546'])).stdout)
    expect(json['ws-rpc-port']).toBe(9546)
  })

  it('are refused where they cannot work, exit 2', async () => {
    const cases: Array<[string[], string]> = [
      [['--ws-rpc-port=0'], 'parley: ws-rpc-port needs rpc (--rpc)\n'],
      [['--rpc-cors=*'], 'parley: rpc-cors needs rpc (--rpc)\n'],
      [['--ws-rpc-port=0', '--rpc-cors=*'], 'parley: ws-rpc-port and rpc-cors need rpc (--rpc)\n'],
      [['--rpc'], 'parley: rpc serves the devp2p protocols: add --protocol whisper and/or waku1\n'],
    ]
    for (const [argv, expected] of cases) {
      const { code, stderr } = await runCli(['start', '--log-level=silent', ...argv])
      expect({ code, stderr }).toEqual({ code: 2, stderr: expected })
    }
  })
})
