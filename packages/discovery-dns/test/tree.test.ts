import { loadCrypto } from '@parley/crypto'
import { decodeEnr } from '@parley/enr'
import { DecodeError, InvalidParametersError } from '@parley/interfaces'
import { describe, expect, it } from 'vitest'
import {
  buildTree,
  EntryDecodeError,
  entryHash,
  MAX_CHILDREN,
  MAX_UDP_MESSAGE,
  parseEnrtreeUrl,
  parseEntry,
  type SignedTree,
  txtResponseSize,
  verifyRoot,
} from '../src/index.ts'
import { makeEnrs, testKey } from './helpers.ts'

const { secp256k1: secp } = await loadCrypto()
const signer = testKey(1)
const signerPublic = secp.getPublicKey(signer, true)
const domain = 'nodes.example.org'
const otherTree = buildTree(
  { enrs: [], links: [], seq: 1, domain: 'other.example.org' },
  testKey(2),
  secp,
).url

/** Walks the whole tree from the root, checking names, hashes and fan-out; returns the leaves. */
function walk(tree: SignedTree): { enrs: string[]; links: string[]; visited: number } {
  const root = verifyRoot(tree.root, signerPublic, secp)
  const leaves = { enrs: [] as string[], links: [] as string[], visited: 1 }
  const visit = (hash: string, kind: 'enrs' | 'links') => {
    const text = tree.records.get(`${hash}.${domain}`)
    if (text === undefined) throw new Error(`missing ${hash}`)
    expect(entryHash(text)).toBe(hash)
    leaves.visited++
    const entry = parseEntry(text, secp)
    if (entry.type === 'branch') {
      expect(entry.children.length).toBeLessThanOrEqual(MAX_CHILDREN)
      for (const child of entry.children) visit(child, kind)
    } else {
      expect(entry.type).toBe(kind === 'enrs' ? 'enr' : 'link')
      leaves[kind].push(text)
    }
  }
  visit(root.enrRoot, 'enrs')
  visit(root.linkRoot, 'links')
  return leaves
}

describe('buildTree', () => {
  for (const count of [0, 1, 2, 13, 14, 170, 200]) {
    it(`holds exactly ${count} records, every TXT fits ${MAX_UDP_MESSAGE} bytes`, () => {
      const enrs = makeEnrs(count, secp)
      const tree = buildTree({ enrs, links: [otherTree], seq: 7, domain }, signer, secp)
      const leaves = walk(tree)
      expect(leaves.enrs.sort()).toEqual([...enrs].sort())
      expect(leaves.links).toEqual([otherTree])
      // No stray records: each one is reachable from the root.
      expect(leaves.visited).toBe(tree.records.size)
      for (const [name, text] of tree.records)
        expect(txtResponseSize(name, text)).toBeLessThanOrEqual(MAX_UDP_MESSAGE)
      expect(tree.rootEntry.seq).toBe(7)
      expect(parseEnrtreeUrl(tree.url, secp)).toEqual({ type: 'link', publicKey: signerPublic, domain })
    })
  }

  it('is deterministic: input order does not matter, records sort by node id', () => {
    const enrs = makeEnrs(5, secp)
    const a = buildTree({ enrs, links: [], seq: 1, domain }, signer, secp)
    const b = buildTree({ enrs: [...enrs].reverse(), links: [], seq: 1, domain }, signer, secp)
    expect(b.root).toBe(a.root)
    expect([...b.records]).toEqual([...a.records])
    const sorted = enrs
      .map((text) => ({ text, id: Buffer.from(decodeEnr(text, secp).nodeId).toString('hex') }))
      .sort((x, y) => (x.id < y.id ? -1 : 1))
      .map(({ text }) => entryHash(text))
    expect(a.records.get(`${a.rootEntry.enrRoot}.${domain}`)).toBe(`enrtree-branch:${sorted.join(',')}`)
  })

  it('a single record is the subtree top itself; no records is an empty branch', () => {
    const [only = ''] = makeEnrs(1, secp)
    const one = buildTree({ enrs: [only], links: [], seq: 1, domain }, signer, secp)
    expect(one.rootEntry.enrRoot).toBe(entryHash(only))
    expect(one.rootEntry.linkRoot).toBe(entryHash('enrtree-branch:'))
    expect(one.records.get(`${entryHash('enrtree-branch:')}.${domain}`)).toBe('enrtree-branch:')
    expect(one.records.size).toBe(3)
  })

  it('14 records make two branches under a top branch (13 + 1 grouped as go-ethereum does)', () => {
    const tree = buildTree({ enrs: makeEnrs(14, secp), links: [], seq: 1, domain }, signer, secp)
    const top = parseEntry(tree.records.get(`${tree.rootEntry.enrRoot}.${domain}`) ?? '', secp)
    if (top.type !== 'branch') throw new Error('expected a branch')
    expect(top.children).toHaveLength(2)
    const first = parseEntry(tree.records.get(`${top.children[0]}.${domain}`) ?? '', secp)
    const second = parseEntry(tree.records.get(`${top.children[1]}.${domain}`) ?? '', secp)
    expect(first.type === 'branch' && first.children.length).toBe(13)
    expect(second.type).toBe('enr')
  })

  it('rejects bad input', () => {
    expect(() => buildTree({ enrs: ['enr:xyz'], links: [], seq: 1, domain }, signer, secp)).toThrow(
      DecodeError,
    )
    expect(() => buildTree({ enrs: [], links: ['enrtree://nope'], seq: 1, domain }, signer, secp)).toThrow(
      EntryDecodeError,
    )
    expect(() => buildTree({ enrs: [], links: [], seq: -1, domain }, signer, secp)).toThrow(
      InvalidParametersError,
    )
    expect(() => buildTree({ enrs: [], links: [], seq: 1, domain: '' }, signer, secp)).toThrow(
      InvalidParametersError,
    )
    expect(() =>
      buildTree({ enrs: [], links: [], seq: 1, domain: `${'a'.repeat(60)}.`.repeat(8) }, signer, secp),
    ).toThrow(InvalidParametersError)
  })
})
