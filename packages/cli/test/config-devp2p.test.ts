import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../src/config/load.ts'
import { numberOption } from '../src/config/options.ts'
import { resolveConfig } from '../src/config/resolve.ts'
import { configSchema } from '../src/config/schema.ts'

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'parley-cli-devp2p-config-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

const flags = (entries: Record<string, string[]>) => new Map(Object.entries(entries))
// Public keys of the private keys 1 and 2: enode ids must be points on the curve.
const ID_A =
  '79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8'
const ID_B =
  'c6047f9441ed7d6d3045406e95c07cd85c778e4b8cef3ca7abac09b95c709ee51ae168fea63dc339a3c58419466ceaeef7f632653266d0e1236431a950cfe52a'
const ENODE_A = `enode://${ID_A}@10.0.0.1:30303`
const ENODE_B = `enode://${ID_B}@[::1]:30304`
const TREE = 'enrtree://AM5FCQLWIZX2QFPNJAP7VUERCCRNGRHWZG3YYHIUV7BVDQ5FDPRT2@nodes.example.org'

describe('devp2p and Whisper options', () => {
  it('default to no devp2p protocol, 0.0.0.0:30303, 25 peers and Status pow 0.002', async () => {
    const { values } = await loadConfig(configSchema, {})
    expect(values).toMatchObject({
      protocol: [],
      'listen-address': '0.0.0.0',
      'devp2p-port': 30303,
      'max-peers': 25,
      staticnode: [],
      'dns-discovery-url': [],
      'dns-discovery-name-server': [],
      'min-pow': 0.002,
      'light-node': false,
    })
  })

  it('take each key from flags, then environment, then file', async () => {
    const file = join(dir, 'devp2p.toml')
    await writeFile(
      file,
      [
        'protocol = ["whisper"]',
        'devp2p-port = 30305',
        'min-pow = 1',
        `staticnode = ["${ENODE_A}"]`,
        'dns-discovery-name-server = ["127.0.0.1:5353"]',
        'max-peers = 7',
        '',
      ].join('\n'),
    )
    const { values, origins } = await loadConfig(configSchema, {
      configFile: file,
      env: { PARLEY_DEVP2P_PORT: '30306', PARLEY_MIN_POW: '0.5', PARLEY_DNS_DISCOVERY_URL: TREE },
      flags: flags({ 'devp2p-port': ['0'], 'listen-address': ['127.0.0.1'], staticnode: [ENODE_A, ENODE_B] }),
    })
    expect(values).toMatchObject({
      protocol: ['whisper'],
      'devp2p-port': 0,
      'listen-address': '127.0.0.1',
      'min-pow': 0.5,
      staticnode: [ENODE_A, ENODE_B],
      'dns-discovery-url': [TREE],
      'dns-discovery-name-server': ['127.0.0.1:5353'],
      'max-peers': 7,
    })
    expect(origins).toMatchObject({
      protocol: 'file',
      'devp2p-port': 'flag',
      'min-pow': 'env',
      staticnode: 'flag',
      'dns-discovery-url': 'env',
      'max-peers': 'file',
    })
  })

  it('reject a bad enode, tree URL, name server, pow or peer count, naming key and source', async () => {
    const message = await loadConfig(configSchema, {
      env: { PARLEY_MIN_POW: '-0.1', PARLEY_DNS_DISCOVERY_NAME_SERVER: '127.0.0.1:99999' },
      flags: flags({
        staticnode: [ENODE_A, `enode://${ID_B}`],
        'dns-discovery-url': ['https://nodes.example.org'],
        'max-peers': ['0'],
        'listen-address': ['localhost'],
      }),
    }).then(
      () => '',
      (error: Error) => error.message,
    )
    expect(message).toContain(
      `staticnode from flag --staticnode: "enode://${ID_B}": an enode URL needs a 128-hex-digit node id before @`,
    )
    expect(message).toContain(
      'dns-discovery-url from flag --dns-discovery-url: "https://nodes.example.org": expected enrtree://<key>@<domain>',
    )
    expect(message).toContain(
      'dns-discovery-name-server from environment variable PARLEY_DNS_DISCOVERY_NAME_SERVER: "127.0.0.1:99999": expected ip',
    )
    expect(message).toContain(
      'min-pow from environment variable PARLEY_MIN_POW: expected a number from 0, got "-0.1"',
    )
    expect(message).toContain('max-peers from flag --max-peers: expected an integer from 1 to 1000, got "0"')
    expect(message).toContain('listen-address from flag --listen-address: expected an IPv4 or IPv6 address')
  })

  it('accept name servers as ip, ipv4:port and [ipv6]:port', () => {
    const servers = ['1.1.1.1', '::1', '127.0.0.1:53', '[::1]:5353']
    const { values } = resolveConfig(configSchema, { flags: flags({ 'dns-discovery-name-server': servers }) })
    expect(values['dns-discovery-name-server']).toEqual(servers)
  })

  it('catch a misspelt key with the closest one', () => {
    expect(() =>
      resolveConfig(configSchema, { file: { path: 'f.toml', table: { 'static-node': [ENODE_A] } } }),
    ).toThrow('static-node (did you mean staticnode?)')
  })
})

describe('number options', () => {
  const schema = { pow: numberOption({ default: 0.2, min: 0, description: 'Pow.' }) }

  it('read decimals and exponents from text, integers and floats from TOML', () => {
    const fromFlag = (text: string) => resolveConfig(schema, { flags: flags({ pow: [text] }) }).values.pow
    expect(fromFlag('0.002')).toBe(0.002)
    expect(fromFlag('.5')).toBe(0.5)
    expect(fromFlag('2e-6')).toBe(0.000002)
    expect(fromFlag(' 3 ')).toBe(3)
    const fromToml = (value: unknown) =>
      resolveConfig(schema, { file: { path: 'f', table: { pow: value } } }).values.pow
    expect(fromToml(1)).toBe(1)
    expect(fromToml(0.25)).toBe(0.25)
  })

  it('reject text that is not a finite number, and TOML strings', () => {
    for (const text of ['0x10', '1/2', 'Infinity', 'NaN', '', '1e999']) {
      expect(() => resolveConfig(schema, { flags: flags({ pow: [text] }) }), text).toThrow(
        /pow from flag --pow: expected a number from 0/,
      )
    }
    expect(() => resolveConfig(schema, { file: { path: 'f', table: { pow: '0.2' } } })).toThrow(
      'pow from config file f: expected a number from 0, got "0.2"',
    )
  })
})
