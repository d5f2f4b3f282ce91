import { loadCrypto } from '@parley/crypto'
import { DecodeError, ParleyError } from '@parley/interfaces'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  answerQuery,
  base32Decode,
  base32Encode,
  base64urlDecode,
  base64urlEncode,
  buildTree,
  DnsLookupError,
  DnsTreeClient,
  decodeQuery,
  EntryDecodeError,
  entryHash,
  formatBranch,
  formatRoot,
  parseEnrtreeUrl,
  parseEntry,
  parseRoot,
  TreeVerificationError,
} from '../src/index.ts'
import { makeEnrs, testKey } from './helpers.ts'
import { memoryDns } from './memory-dns.ts'

const { secp256k1: secp } = await loadCrypto()
const PREFIXES = [
  '',
  'enr:',
  'enr:-',
  'enrtree-branch:',
  'enrtree://',
  'enrtree-root:v1 e=',
  'enrtree-root:v1',
]
const base32Chars = fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567=a1@,: '.split(''))
/** Strings that look a bit like entries: a known prefix and then noise. */
const entryLike = fc
  .tuple(
    fc.constantFrom(...PREFIXES),
    fc.oneof(
      fc.string(),
      fc.array(base32Chars).map((chars) => chars.join('')),
    ),
  )
  .map(([prefix, rest]) => prefix + rest)

/** Runs `run`; anything thrown must be an instance of `type`. */
function onlyThrows(type: abstract new (...args: never[]) => Error, run: () => unknown): void {
  try {
    run()
  } catch (error) {
    expect(error).toBeInstanceOf(type)
  }
}

describe('codecs round-trip', () => {
  it('base32 and base64url', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), (bytes) => {
        expect(base32Decode(base32Encode(bytes))).toEqual(bytes)
        expect(base64urlDecode(base64urlEncode(bytes))).toEqual(bytes)
      }),
    )
  })

  it('base64url matches Node', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), (bytes) => {
        expect(base64urlEncode(bytes)).toBe(Buffer.from(bytes).toString('base64url'))
      }),
    )
  })

  it('roots and branches', () => {
    const hash = fc.string({ minLength: 1 }).map((text) => entryHash(text))
    fc.assert(
      fc.property(
        hash,
        hash,
        fc.nat(),
        fc.uint8Array({ minLength: 65, maxLength: 65 }),
        (e, l, seq, signature) => {
          const root = { enrRoot: e, linkRoot: l, seq, signature }
          expect(parseRoot(formatRoot(root))).toEqual({ type: 'root', ...root })
        },
      ),
    )
    fc.assert(
      fc.property(fc.array(hash, { maxLength: 13 }), (children) => {
        expect(parseEntry(formatBranch(children), secp)).toEqual({ type: 'branch', children })
      }),
    )
  })
})

describe('garbage fails only with DecodeError', () => {
  it('base32 and base64url decoders', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        onlyThrows(DecodeError, () => base32Decode(text))
        onlyThrows(DecodeError, () => base64urlDecode(text))
      }),
    )
  })

  it('entry, root and URL parsers throw EntryDecodeError', () => {
    fc.assert(
      fc.property(entryLike, (text) => {
        onlyThrows(EntryDecodeError, () => parseEntry(text, secp))
        onlyThrows(EntryDecodeError, () => parseRoot(text))
        onlyThrows(EntryDecodeError, () => parseEnrtreeUrl(text, secp))
      }),
      { numRuns: 500 },
    )
  })

  it('the DNS query decoder and the server answer', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), (bytes) => {
        onlyThrows(DecodeError, () => answerQuery(decodeQuery(bytes), new Map([['a', 'b']]), 60))
      }),
      { numRuns: 500 },
    )
  })
})

describe('tampered trees are rejected', () => {
  const domain = 'nodes.example.org'
  const tree = buildTree({ enrs: makeEnrs(20, secp), links: [], seq: 3, domain }, testKey(1), secp)
  const names = [...tree.records.keys()]

  it('changing any character of any entry is a hash mismatch (or, with a broken prefix, no entry)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...names.filter((name) => name !== domain)),
        fc.nat(),
        fc.string({ minLength: 1, maxLength: 1 }),
        async (name, at, char) => {
          const text = tree.records.get(name) ?? ''
          const index = at % text.length
          fc.pre(text[index] !== char)
          const dns = memoryDns(tree.records)
          const mutated = text.slice(0, index) + char + text.slice(index + 1)
          dns.zone.set(name, mutated)
          const error = await new DnsTreeClient({ secp, resolveTxt: dns.resolveTxt })
            .syncTree(tree.url)
            .catch((e) => e)
          // Records of unknown type are skipped, as go-ethereum skips them, leaving the name empty.
          const unknown = ((): boolean => {
            try {
              parseEntry(mutated, secp)
              return false
            } catch (parseError) {
              return (parseError as EntryDecodeError).reason === 'unknown-entry'
            }
          })()
          if (unknown) {
            expect(error).toBeInstanceOf(DnsLookupError)
            expect((error as DnsLookupError).reason).toBe('no-entry')
          } else {
            expect(error).toBeInstanceOf(TreeVerificationError)
            expect((error as TreeVerificationError).reason).toBe('hash-mismatch')
          }
        },
      ),
      { numRuns: 60 },
    )
  })

  it('changing the root (except the last two signature characters, which hold only v) is refused', async () => {
    // v is ignored, as go-ethereum ignores it; the last two base64url characters carry v and padding bits.
    await fc.assert(
      fc.asyncProperty(fc.nat(), fc.constantFrom(...'ABCXYZabcxyz0189-_ =:'.split('')), async (at, char) => {
        const index = at % (tree.root.length - 2)
        fc.pre(tree.root[index] !== char)
        const dns = memoryDns(tree.records)
        dns.zone.set(domain, tree.root.slice(0, index) + char + tree.root.slice(index + 1))
        const error = await new DnsTreeClient({ secp, resolveTxt: dns.resolveTxt })
          .syncTree(tree.url)
          .catch((e) => e)
        expect(error).toBeInstanceOf(ParleyError)
      }),
      { numRuns: 80 },
    )
  })
})
