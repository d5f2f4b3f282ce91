import { createSocket } from 'node:dgram'
import { Resolver } from 'node:dns/promises'
import { loadCrypto } from '@parley/crypto'
import { enrToText } from '@parley/enr'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  buildTree,
  DnsLookupError,
  DnsTreeClient,
  type DnsTreeServer,
  encodeQuery,
  nodeResolveTxt,
  serveTree,
} from '../src/index.ts'
import { makeEnrs, testKey } from './helpers.ts'

const { secp256k1: secp } = await loadCrypto()
const enrs = makeEnrs(30, secp)
const linkedEnrs = makeEnrs(4, secp, 300)
const linked = buildTree({ enrs: linkedEnrs, links: [], seq: 2, domain: 'more.test' }, testKey(2), secp)
const tree = buildTree({ enrs, links: [linked.url], seq: 9, domain: 'nodes.test' }, testKey(1), secp)
const big = 'x'.repeat(600)
const long = `${'a'.repeat(255)}${'b'.repeat(145)}`

let server: DnsTreeServer
let servers: string[]

beforeAll(async () => {
  server = await serveTree(
    new Map([...tree.records, ...linked.records, ['big.test', big], ['split.test', long]]),
    { address: '127.0.0.1', port: 0 },
  )
  servers = [`127.0.0.1:${server.port}`]
})
afterAll(() => server.close())

/** Sends one raw query and returns the raw answer. */
async function rawQuery(name: string, type = 16): Promise<Buffer> {
  const socket = createSocket('udp4')
  try {
    return await new Promise<Buffer>((resolve, reject) => {
      socket.once('message', resolve)
      socket.once('error', reject)
      socket.send(encodeQuery(0x1234, name, type), server.port, '127.0.0.1')
    })
  } finally {
    socket.close()
  }
}

/**
 * The server answers from this process, so a stall of the event loop (a loaded CI machine) delays
 * the answer as well as the query, and a single 1 s try could fail a walk of up to 120 lookups.
 * Lookups get the plugin's 5 s and a second try.
 */
const PATIENT = { timeoutMs: 5000, tries: 2 }

describe('serveTree over loopback UDP, read with node:dns', () => {
  it('a node:dns Resolver reads a record, split into 255-byte character-strings', async () => {
    const resolver = new Resolver({ timeout: PATIENT.timeoutMs, tries: PATIENT.tries })
    resolver.setServers(servers)
    const [enrName, enrText] = [...tree.records].find(([, text]) => text.startsWith('enr:')) ?? ['', '']
    const answer = await resolver.resolveTxt(enrName.toUpperCase())
    expect(answer).toHaveLength(1)
    expect(answer[0]?.join('')).toBe(enrText)
    expect(await resolver.resolveTxt('split.test')).toEqual([['a'.repeat(255), 'b'.repeat(145)]])
    await expect(resolver.resolveTxt('absent.nodes.test')).rejects.toMatchObject({ code: 'ENOTFOUND' })
  })

  it('the client syncs every record of the tree through the server', async () => {
    const client = new DnsTreeClient({ secp, servers })
    const synced = await client.syncTree(tree.url)
    expect(synced.root.seq).toBe(9)
    expect(new Set(synced.enrs.map((enr) => enrToText(enr)))).toEqual(new Set(enrs))
    expect(synced.links).toEqual([linked.url])
  })

  it('the lazy walk reaches records of both trees through the server', async () => {
    const client = new DnsTreeClient({
      secp,
      resolveTxt: nodeResolveTxt({ servers, ...PATIENT }),
    })
    client.addTree(tree.url)
    expect(await client.links()).toEqual([linked.url])
    const seen = new Set<string>()
    for (let i = 0; i < 120 && seen.size < enrs.length + linkedEnrs.length; i++) {
      const enr = await client.nextEnr()
      if (enr !== undefined) seen.add(enrToText(enr))
    }
    expect(seen).toEqual(new Set([...enrs, ...linkedEnrs]))
  })

  it('a missing tree is a DnsLookupError', async () => {
    const client = new DnsTreeClient({
      secp,
      resolveTxt: nodeResolveTxt({ servers, ...PATIENT }),
    })
    const url = tree.url.replace('nodes.test', 'gone.test')
    await expect(client.syncTree(url)).rejects.toBeInstanceOf(DnsLookupError)
  })

  it('answers over 512 bytes are truncated with TC; other types get an empty answer', async () => {
    const truncated = await rawQuery('big.test')
    expect(truncated.readUInt16BE(0)).toBe(0x1234)
    expect(truncated.readUInt16BE(2) & 0x0200).toBe(0x0200) // TC
    expect(truncated.readUInt16BE(6)).toBe(0) // no answers
    expect(truncated.length).toBeLessThanOrEqual(512)
    const wrongType = await rawQuery('nodes.test', 1)
    expect(wrongType.readUInt16BE(2) & 0x000f).toBe(0) // NOERROR
    expect(wrongType.readUInt16BE(6)).toBe(0)
    const missing = await rawQuery('nope.test')
    expect(missing.readUInt16BE(2) & 0x000f).toBe(3) // NXDOMAIN
    expect(missing.readUInt16BE(2) & 0x0400).toBe(0x0400) // AA
  })
})
