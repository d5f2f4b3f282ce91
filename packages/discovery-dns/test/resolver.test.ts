import { keccak256, loadCrypto, utf8ToBytes } from '@parley/crypto'
import { enrToText } from '@parley/enr'
import { AbortError } from '@parley/interfaces'
import { describe, expect, it } from 'vitest'
import {
  buildTree,
  DnsLookupError,
  DnsTreeClient,
  EntryDecodeError,
  entryHash,
  formatEnrtreeUrl,
  formatRoot,
  rootSigningText,
  TreeVerificationError,
} from '../src/index.ts'
import { makeEnrs, testKey } from './helpers.ts'
import { memoryDns } from './memory-dns.ts'
import { field, loadVectors } from './vectors.ts'

const { secp256k1: secp } = await loadCrypto()
const signer = testKey(1)
const domain = 'nodes.example.org'
const enrs = makeEnrs(40, secp)
const tree = buildTree({ enrs, links: [], seq: 5, domain }, signer, secp)

async function drain(client: DnsTreeClient, count: number): Promise<string[]> {
  const seen: string[] = []
  for (let i = 0; i < count; i++) {
    const enr = await client.nextEnr()
    if (enr === undefined) throw new Error('no record')
    seen.push(enrToText(enr))
  }
  return seen
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise
  } catch (error) {
    return error
  }
  throw new Error('expected a rejection')
}

describe('DnsTreeClient', () => {
  it('one pass returns every record exactly once, lazily, then walks again from the cache', async () => {
    const dns = memoryDns(tree.records)
    const client = new DnsTreeClient({ secp, resolveTxt: dns.resolveTxt })
    client.addTree(tree.url)
    await client.nextEnr()
    // root, link subtree top, the top branch (3 branches of 13 and 1 bare leaf), then random picks
    // among every missing hash, as go-ethereum's walk does: at best the bare leaf (4 lookups), at worst all
    // three branches before the first leaf (7). It is lazy: far below the tree's size.
    expect(dns.lookups.length).toBeGreaterThanOrEqual(4)
    expect(dns.lookups.length).toBeLessThanOrEqual(7)
    const rest = await drain(client, 39)
    expect(new Set(rest).size).toBe(39)
    const lookupsAfterPass = dns.lookups.length
    expect(lookupsAfterPass).toBe(tree.records.size)
    const again = await drain(client, 40)
    expect(new Set(again)).toEqual(new Set(enrs))
    expect(dns.lookups.length).toBe(lookupsAfterPass)
  })

  it('syncTree resolves the whole tree and joins multi-string TXT records', async () => {
    const dns = memoryDns(tree.records)
    const split = async (name: string) => {
      const text = (await dns.resolveTxt(name, {})).flat().join('')
      return [[text.slice(0, 7), text.slice(7, 100), text.slice(100)]]
    }
    const client = new DnsTreeClient({ secp, resolveTxt: split })
    const synced = await client.syncTree(tree.url)
    expect(synced.root.seq).toBe(5)
    expect(new Set(synced.enrs.map((enr) => enrToText(enr)))).toEqual(new Set(enrs))
    expect(synced.links).toEqual([])
  })

  it('stops at the request budget', async () => {
    const dns = memoryDns(tree.records)
    const client = new DnsTreeClient({ secp, resolveTxt: dns.resolveTxt, maxRequests: 3 })
    client.addTree(tree.url)
    expect(await client.nextEnr()).toBeUndefined()
    expect(dns.lookups).toHaveLength(3)
    // Progress is kept: later calls go on from where the last stopped, never from the root again.
    // The walk picks at random; the first record is at most 7 lookups in (the budget gives 3 a call),
    // so the second call finds one about 299 times in 300 and the third always.
    const next = (await client.nextEnr()) ?? (await client.nextEnr())
    expect(next).toBeDefined()
    expect(dns.lookups.filter((name) => name === dns.lookups[0])).toHaveLength(1)
  })

  it('follows links to other trees', async () => {
    const otherEnrs = makeEnrs(3, secp, 500)
    const other = buildTree(
      { enrs: otherEnrs, links: [], seq: 1, domain: 'more.example.org' },
      testKey(2),
      secp,
    )
    const top = buildTree({ enrs: enrs.slice(0, 2), links: [other.url], seq: 1, domain }, signer, secp)
    const dns = memoryDns(top.records, other.records)
    const client = new DnsTreeClient({ secp, resolveTxt: dns.resolveTxt })
    client.addTree(top.url)
    expect(await client.links()).toEqual([other.url])
    const seen = new Set(await drain(client, 30))
    expect(seen).toEqual(new Set([...enrs.slice(0, 2), ...otherEnrs]))
    const noLinks = new DnsTreeClient({ secp, resolveTxt: dns.resolveTxt, followLinks: false })
    noLinks.addTree(top.url)
    expect(new Set(await drain(noLinks, 10))).toEqual(new Set(enrs.slice(0, 2)))
  })

  it('rejects a record whose content does not match its hash', async () => {
    const dns = memoryDns(tree.records)
    for (const [name, text] of dns.zone)
      if (text.startsWith('enr:'))
        dns.zone.set(name, enrs[0] === text ? (enrs[1] as string) : (enrs[0] as string))
    const client = new DnsTreeClient({ secp, resolveTxt: dns.resolveTxt })
    const error = await rejection(client.syncTree(tree.url))
    expect(error).toBeInstanceOf(TreeVerificationError)
    expect((error as TreeVerificationError).reason).toBe('hash-mismatch')
    client.addTree(tree.url)
    expect(await rejection(client.nextEnr())).toBeInstanceOf(TreeVerificationError)
  })

  it('rejects a root signed by another key', async () => {
    const forged = buildTree({ enrs, links: [], seq: 6, domain }, testKey(9), secp)
    const dns = memoryDns(forged.records)
    const client = new DnsTreeClient({ secp, resolveTxt: dns.resolveTxt })
    const error = await rejection(client.syncTree(tree.url))
    expect(error).toBeInstanceOf(TreeVerificationError)
    expect((error as TreeVerificationError).reason).toBe('bad-signature')
  })

  it('refresh accepts a newer root and rejects a seq going backwards', async () => {
    const dns = memoryDns(tree.records)
    const client = new DnsTreeClient({ secp, resolveTxt: dns.resolveTxt })
    client.addTree(tree.url)
    await client.nextEnr()
    expect(await client.refresh()).toEqual([{ url: tree.url, seq: 5, changed: false }])

    const newer = buildTree({ enrs: makeEnrs(2, secp, 900), links: [], seq: 6, domain }, signer, secp)
    for (const [name, text] of newer.records) dns.zone.set(name, text)
    expect(await client.refresh()).toEqual([{ url: tree.url, seq: 6, changed: true }])
    expect(new Set(await drain(client, 4))).toEqual(new Set(makeEnrs(2, secp, 900)))

    dns.zone.set(domain, tree.root) // seq 5 again: a replayed old root
    const error = await rejection(client.refresh())
    expect(error).toBeInstanceOf(TreeVerificationError)
    expect((error as TreeVerificationError).reason).toBe('stale-seq')
  })

  it('rejects a link below the e= root', async () => {
    const linkText = formatEnrtreeUrl({
      publicKey: secp.getPublicKey(testKey(3), true),
      domain: 'x.example.org',
    })
    const empty = 'enrtree-branch:'
    const enrRoot = entryHash(linkText)
    const linkRoot = entryHash(empty)
    const signature = secp.sign(
      keccak256(utf8ToBytes(rootSigningText({ enrRoot, linkRoot, seq: 1 }))),
      signer,
    )
    const zone = new Map([
      [domain, formatRoot({ enrRoot, linkRoot, seq: 1, signature })],
      [`${enrRoot}.${domain}`, linkText],
      [`${linkRoot}.${domain}`, empty],
    ])
    const client = new DnsTreeClient({ secp, resolveTxt: memoryDns(zone).resolveTxt })
    const error = await rejection(client.syncTree(tree.url))
    expect((error as TreeVerificationError).reason).toBe('link-in-enr-tree')
  })

  it('reports missing names and honours an aborted signal', async () => {
    const client = new DnsTreeClient({ secp, resolveTxt: memoryDns(new Map()).resolveTxt })
    const error = await rejection(client.syncTree(tree.url))
    expect(error).toBeInstanceOf(DnsLookupError)
    expect((error as DnsLookupError).reason).toBe('resolver')
    const noRoot = new DnsTreeClient({ secp, resolveTxt: async () => [['v=spf1 -all']] })
    expect(((await rejection(noRoot.syncTree(tree.url))) as DnsLookupError).reason).toBe('no-root')
    const controller = new AbortController()
    controller.abort()
    const aborted = new DnsTreeClient({ secp, resolveTxt: memoryDns(tree.records).resolveTxt })
    aborted.addTree(tree.url)
    expect(await rejection(aborted.nextEnr({ signal: controller.signal }))).toBeInstanceOf(AbortError)
  })

  it('vector geth-sync-bad-enr-leaf: a leaf with the right hash but a bad record fails by name', async () => {
    const c = loadVectors().find((each) => each.id === 'geth-sync-bad-enr-leaf')
    if (c === undefined) throw new Error('vector missing')
    const zone = new Map(Object.entries(field<Record<string, string>>(c.input, 'zone')))
    const client = new DnsTreeClient({ secp, resolveTxt: memoryDns(zone).resolveTxt })
    const error = await rejection(client.syncTree(field(c.input, 'tree_url')))
    expect(error).toBeInstanceOf(EntryDecodeError)
    expect((error as EntryDecodeError).dnsName).toBe(field(c.expected, 'error_name'))
    expect(`${(error as EntryDecodeError).entry}: ${(error as EntryDecodeError).reason}`).toBe(
      'enr: invalid-enr',
    )
    expect(field(c.expected, 'error')).toBe('enr: errInvalidENR')
  })
})
