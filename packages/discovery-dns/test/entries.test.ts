import { loadCrypto } from '@parley/crypto'
import { DecodeError, VerificationError } from '@parley/interfaces'
import { describe, expect, it } from 'vitest'
import {
  base32Decode,
  base32Encode,
  EntryDecodeError,
  entryHash,
  formatEnrtreeUrl,
  formatEntry,
  formatRoot,
  isValidHash,
  parseEnrtreeUrl,
  parseEntry,
  parseRoot,
  TreeVerificationError,
  verifyRoot,
} from '../src/index.ts'
import { field, goError, hex, loadVectors, unhex } from './vectors.ts'

const { secp256k1: secp } = await loadCrypto()
const cases = loadVectors()
const handled = new Set<string>()
const byId = (id: string) => {
  const found = cases.find((c) => c.id === id)
  if (found === undefined) throw new Error(`vector ${id} is missing`)
  handled.add(id)
  return found
}

function expectEntryError(run: () => unknown, kind: string | undefined, reason: string): void {
  try {
    run()
  } catch (error) {
    expect(error).toBeInstanceOf(EntryDecodeError)
    expect(error).toBeInstanceOf(DecodeError)
    if (kind !== undefined) expect((error as EntryDecodeError).entry).toBe(kind)
    expect((error as EntryDecodeError).reason).toBe(reason)
    return
  }
  throw new Error('expected an EntryDecodeError')
}

describe('EIP-1459 vectors', () => {
  it('the spec URL key is not the key the spec names (keys_match false)', () => {
    const c = byId('spec-example-url-and-key-discrepancy')
    const link = parseEnrtreeUrl(field(c.input, 'url'), secp)
    expect(link.domain).toBe(field(c.expected, 'domain'))
    expect(hex(link.publicKey)).toBe(field(c.derived, 'url_public_key_compressed'))
    const stated = unhex(field<string>(c.input, 'stated_public_key_text').slice(2))
    const statedBase32 = base32Encode(secp.convertPublicKey(stated, true))
    expect(statedBase32).toBe(field(c.derived, 'stated_key_base32_compressed'))
    expect(hex(secp.convertPublicKey(stated, true)) === hex(link.publicKey)).toBe(
      field(c.derived, 'keys_match'),
    )
  })

  it('go-ethereum signing key prints as its enrtree key', () => {
    const c = byId('geth-signing-key-for-testing')
    const publicKey = secp.getPublicKey(unhex(field(c.input, 'private_key')), true)
    expect(base32Encode(publicKey)).toBe(field(c.expected, 'enrtree_public_key_base32'))
  })

  for (const c of cases.filter((each) => each.id.startsWith('geth-parse-root-'))) {
    it(`${c.id}: parseRoot rejects`, () => {
      handled.add(c.id)
      const { kind, reason } = goError(field(c.expected, 'error'))
      expectEntryError(() => parseRoot(field(c.input, 'txt')), kind, reason)
    })
  }

  for (const c of cases.filter((each) => each.id.startsWith('geth-parse-entry-'))) {
    it(`${c.id}: parseEntry`, () => {
      handled.add(c.id)
      const txt = field(c.input, 'txt')
      if (c.expected.error !== undefined) {
        const { kind, reason } = goError(field(c.expected, 'error'))
        expectEntryError(() => parseEntry(txt, secp), kind, reason)
        return
      }
      const entry = parseEntry(txt, secp)
      expect(entry.type).toBe(field(c.expected, 'type'))
      if (entry.type !== 'link') throw new Error('expected a link')
      expect(entry.domain).toBe(field(c.expected, 'domain'))
      expect(hex(entry.publicKey)).toBe(field(c.derived, 'pubkey_compressed'))
      expect(formatEntry(entry)).toBe(txt)
      expect(txt).toBe(`enrtree://${field(c.expected, 'str')}`)
    })
  }

  it('ethereumjs: a real root verifies and names its subtrees', () => {
    const c = byId('ethereumjs-root-verify')
    const key = base32Decode(field(c.input, 'public_key_base32'))
    expect(hex(key)).toBe(field(c.derived, 'public_key_compressed'))
    const root = verifyRoot(field(c.input, 'txt'), key, secp)
    expect(root.enrRoot).toBe(field(c.expected, 'enr_root'))
    expect(root.linkRoot).toBe(field(c.derived, 'link_root'))
    expect(root.seq).toBe(field(c.derived, 'seq'))
    expect(hex(root.signature)).toBe(field(c.derived, 'sig'))
    expect(formatRoot(root)).toBe(field(c.input, 'txt'))
    // The same root under another key, or with one flipped signature byte, is refused.
    const other = secp.getPublicKey(
      unhex('dc599867fc513f8f5e2c2c9c489cde5e71362d1d9ec6e693e0de063236ed1240'),
      true,
    )
    expect(() => verifyRoot(field(c.input, 'txt'), other, secp)).toThrow(TreeVerificationError)
    const signature = Uint8Array.from(root.signature)
    signature[10] = (signature[10] as number) ^ 1
    expect(() => verifyRoot({ ...root, signature }, key, secp)).toThrow(VerificationError)
    expect(() => verifyRoot({ ...root, seq: root.seq + 1 }, key, secp)).toThrow(TreeVerificationError)
  })

  it('ethereumjs: root with the wrong prefix is a syntax error', () => {
    const c = byId('ethereumjs-enrRootBadPrefix')
    expect(field(c.expected, 'valid')).toBe(false)
    expectEntryError(() => parseRoot(field(c.input, 'txt')), 'root', 'syntax')
  })

  it('ethereumjs: tree URL', () => {
    const c = byId('ethereumjs-tree-url')
    const link = parseEnrtreeUrl(field(c.input, 'url'), secp)
    expect(link.domain).toBe(field(c.expected, 'domain'))
    expect(base32Encode(link.publicKey)).toBe(field(c.expected, 'public_key_base32'))
    expect(formatEnrtreeUrl(link)).toBe(field(c.input, 'url'))
  })

  it('ethereumjs: URL without "@" is rejected', () => {
    const c = byId('ethereumjs-enrTreeMalformed')
    expect(field(c.expected, 'valid')).toBe(false)
    expectEntryError(() => parseEnrtreeUrl(field(c.input, 'url'), secp), 'link', 'no-public-key')
  })

  it('ethereumjs: branch children', () => {
    const c = byId('ethereumjs-branch')
    const entry = parseEntry(field(c.input, 'txt'), secp)
    expect(entry).toEqual({ type: 'branch', children: field(c.expected, 'children') })
    expect(formatEntry(entry)).toBe(field(c.input, 'txt'))
  })

  it('ethereumjs: branch without its prefix is an unknown entry', () => {
    const c = byId('ethereumjs-branch-bad-prefix')
    expect(field(c.expected, 'valid')).toBe(false)
    expectEntryError(() => parseEntry(field(c.input, 'txt'), secp), 'entry', 'unknown-entry')
  })

  it('every case but the sync case (resolver.test.ts) was run', () => {
    const rest = cases.map((c) => c.id).filter((id) => !handled.has(id))
    expect(rest).toEqual(['geth-sync-bad-enr-leaf'])
  })
})

describe('entries', () => {
  it('base32 matches RFC 4648 §10 (padding removed)', () => {
    const known = ['', 'MY', 'MZXQ', 'MZXW6', 'MZXW6YQ', 'MZXW6YTB', 'MZXW6YTBOI']
    known.forEach((text, length) => {
      expect(base32Encode(new TextEncoder().encode('foobar'.slice(0, length)))).toBe(text)
      expect(new TextDecoder().decode(base32Decode(text))).toBe('foobar'.slice(0, length))
    })
    expect(() => base32Decode('M')).toThrow(DecodeError)
    expect(() => base32Decode('MZXW6===')).toThrow(DecodeError)
  })

  it('hashes are base32 of the first 16 bytes of keccak256', () => {
    const hash = entryHash('enrtree-branch:')
    expect(hash).toHaveLength(26)
    expect(isValidHash(hash)).toBe(true)
    expect(isValidHash(hash.slice(0, 20))).toBe(true) // 12 bytes: the shortest go-ethereum accepts
    expect(isValidHash(hash.slice(0, 19))).toBe(false)
    expect(isValidHash(`${hash}${hash}${hash}`.slice(0, 52))).toBe(true) // 32 bytes
    expect(isValidHash(`${hash}${hash}${hash}`.slice(0, 53))).toBe(false)
    expect(isValidHash(hash.toLowerCase())).toBe(false)
  })

  it('an empty branch is allowed', () => {
    expect(parseEntry('enrtree-branch:', secp)).toEqual({ type: 'branch', children: [] })
  })

  it('a bad signature length is invalid-signature', () => {
    const hash = entryHash('x')
    expectEntryError(
      () => parseRoot(`enrtree-root:v1 e=${hash} l=${hash} seq=1 sig=AAAA`),
      'root',
      'invalid-signature',
    )
    expectEntryError(
      () => parseRoot(`enrtree-root:v1 e=${hash} l=${hash} seq=1 sig=A`),
      'root',
      'invalid-signature',
    )
    expectEntryError(() => parseRoot(`enrtree-root:v1 e=1 l=${hash} seq=1 sig=AAAA`), 'root', 'invalid-child')
  })
})
