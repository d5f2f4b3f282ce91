import { keccak256, utf8ToBytes } from '@parley/crypto'
import { decodeEnr, type Enr, enrToText, fromBase64url, toBase64url } from '@parley/enr'
import { InvalidParametersError, type Secp256k1Provider } from '@parley/interfaces'
import { base32Decode, base32DecodedLength, base32Encode } from './base32.ts'
import { EntryDecodeError } from './errors.ts'

export const ROOT_PREFIX = 'enrtree-root:v1'
export const BRANCH_PREFIX = 'enrtree-branch:'
export const LINK_PREFIX = 'enrtree://'
export const ENR_PREFIX = 'enr:'
/** Bytes of keccak256 that name an entry: 16, written as 26 base32 characters. */
export const HASH_ABBREV = 16
/** go-ethereum accepts child hashes that decode to 12..32 bytes. */
export const MIN_HASH_BYTES = 12
export const MAX_HASH_BYTES = 32

export interface RootEntry {
  readonly type: 'root'
  /** hash of the top of the ENR subtree */
  readonly enrRoot: string
  /** hash of the top of the link subtree */
  readonly linkRoot: string
  readonly seq: number
  /** 65 bytes r || s || v */
  readonly signature: Uint8Array
}

export interface BranchEntry {
  readonly type: 'branch'
  readonly children: readonly string[]
}

/** A link to another tree, also the content of an enrtree:// URL. */
export interface LinkEntry {
  readonly type: 'link'
  /** 33-byte compressed secp256k1 key that signs the linked tree's root */
  readonly publicKey: Uint8Array
  readonly domain: string
}

export interface EnrEntry {
  readonly type: 'enr'
  readonly enr: Enr
}

/** An entry below the root: what a `<hash>.<domain>` TXT record holds. */
export type TreeEntry = BranchEntry | LinkEntry | EnrEntry

/** The subdomain label of an entry: base32(keccak256(text)[:16]), unpadded, 26 characters. */
export function entryHash(text: string): string {
  return base32Encode(keccak256(utf8ToBytes(text)).subarray(0, HASH_ABBREV))
}

/** True when `hash` is base32 that decodes to 12..32 bytes, the range go-ethereum accepts. */
export function isValidHash(hash: string): boolean {
  const length = base32DecodedLength(hash.length)
  if (length < MIN_HASH_BYTES || length > MAX_HASH_BYTES) return false
  try {
    base32Decode(hash)
    return true
  } catch {
    return false
  }
}

/** The text a root signature covers: the root entry without ` sig=…`. */
export function rootSigningText(root: Pick<RootEntry, 'enrRoot' | 'linkRoot' | 'seq'>): string {
  return `${ROOT_PREFIX} e=${root.enrRoot} l=${root.linkRoot} seq=${root.seq}`
}

export function formatRoot(root: Omit<RootEntry, 'type'>): string {
  return `${rootSigningText(root)} sig=${toBase64url(root.signature)}`
}

const ROOT_PATTERN = /^enrtree-root:v1 e=([^ ]+) l=([^ ]+) seq=([0-9]+) sig=([^ ]+)$/

/** Parses `enrtree-root:v1 e=… l=… seq=… sig=…`; the signature is checked by `verifyRoot`. */
export function parseRoot(text: string): RootEntry {
  const match = ROOT_PATTERN.exec(text)
  if (match === null)
    throw new EntryDecodeError('root', 'syntax', 'does not match "enrtree-root:v1 e= l= seq= sig="')
  const [, enrRoot = '', linkRoot = '', seqText = '', sigText = ''] = match
  if (!isValidHash(enrRoot) || !isValidHash(linkRoot))
    throw new EntryDecodeError('root', 'invalid-child', 'e= or l= is not a valid hash')
  const seq = Number(seqText)
  if (!Number.isSafeInteger(seq)) throw new EntryDecodeError('root', 'syntax', `seq ${seqText} is too large`)
  let signature: Uint8Array
  try {
    signature = fromBase64url(sigText)
  } catch (cause) {
    throw new EntryDecodeError('root', 'invalid-signature', 'sig= is not base64url', { cause })
  }
  if (signature.length !== 65)
    throw new EntryDecodeError('root', 'invalid-signature', `sig= is ${signature.length} bytes, not 65`)
  return { type: 'root', enrRoot, linkRoot, seq, signature }
}

export function formatBranch(children: readonly string[]): string {
  return BRANCH_PREFIX + children.join(',')
}

function parseBranch(body: string): BranchEntry {
  if (body === '') return { type: 'branch', children: [] }
  const children = body.split(',')
  for (const child of children) {
    if (!isValidHash(child))
      throw new EntryDecodeError('branch', 'invalid-child', `${JSON.stringify(child)} is not a valid hash`)
  }
  return { type: 'branch', children }
}

/** `enrtree://<base32 compressed key>@<domain>`, the form of both URLs and link entries. */
export function formatEnrtreeUrl(link: Pick<LinkEntry, 'publicKey' | 'domain'>): string {
  if (link.publicKey.length !== 33)
    throw new InvalidParametersError(
      `dnsdisc: the tree key must be 33 bytes (compressed), not ${link.publicKey.length}`,
    )
  return `${LINK_PREFIX}${base32Encode(link.publicKey)}@${link.domain}`
}

/** Parses an enrtree:// URL (or link entry). The key must be a valid compressed secp256k1 key. */
export function parseEnrtreeUrl(url: string, secp: Secp256k1Provider): LinkEntry {
  if (!url.startsWith(LINK_PREFIX))
    throw new EntryDecodeError('url', 'bad-scheme', 'does not start with enrtree://')
  const body = url.slice(LINK_PREFIX.length)
  const at = body.indexOf('@')
  if (at === -1) throw new EntryDecodeError('link', 'no-public-key', 'has no "<key>@" before the domain')
  const domain = body.slice(at + 1)
  if (domain === '' || /[\s@]/.test(domain))
    throw new EntryDecodeError('link', 'syntax', 'domain is empty or malformed')
  let publicKey: Uint8Array
  try {
    publicKey = base32Decode(body.slice(0, at))
  } catch (cause) {
    throw new EntryDecodeError('link', 'bad-public-key', 'key is not base32', { cause })
  }
  if (publicKey.length !== 33 || !secp.isValidPublicKey(publicKey))
    throw new EntryDecodeError('link', 'bad-public-key', 'key is not a compressed secp256k1 public key')
  return { type: 'link', publicKey, domain }
}

function parseEnrEntry(text: string, secp: Secp256k1Provider): EnrEntry {
  try {
    return { type: 'enr', enr: decodeEnr(text, secp) }
  } catch (cause) {
    const why = cause instanceof Error ? cause.message : String(cause)
    throw new EntryDecodeError('enr', 'invalid-enr', `invalid node record (${why})`, { cause })
  }
}

/** Parses a branch, link or ENR entry. A root here is an unknown entry, as in go-ethereum. */
export function parseEntry(text: string, secp: Secp256k1Provider): TreeEntry {
  if (text.startsWith(LINK_PREFIX)) return parseEnrtreeUrl(text, secp)
  if (text.startsWith(BRANCH_PREFIX)) return parseBranch(text.slice(BRANCH_PREFIX.length))
  if (text.startsWith(ENR_PREFIX)) return parseEnrEntry(text, secp)
  throw new EntryDecodeError('entry', 'unknown-entry', 'unknown entry type')
}

/** The TXT text of an entry. */
export function formatEntry(entry: TreeEntry): string {
  switch (entry.type) {
    case 'branch':
      return formatBranch(entry.children)
    case 'link':
      return formatEnrtreeUrl(entry)
    case 'enr':
      return enrToText(entry.enr)
  }
}
