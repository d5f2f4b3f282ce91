import { keccak256, utf8ToBytes } from '@parley/crypto'
import { decodeEnr, enrToText } from '@parley/enr'
import { InvalidParametersError, type Secp256k1Provider } from '@parley/interfaces'
import { MAX_UDP_MESSAGE, txtResponseSize } from './dns-message.ts'
import {
  entryHash,
  formatBranch,
  formatEnrtreeUrl,
  formatRoot,
  parseEnrtreeUrl,
  parseRoot,
  type RootEntry,
  rootSigningText,
} from './entries.ts'
import { TreeVerificationError } from './errors.ts'

/**
 * Children per branch. go-ethereum derives 13 from a 370-byte budget for a branch's text and 27
 * characters per child (26-character hash and a comma); that keeps every branch in one UDP answer.
 */
export const MAX_CHILDREN = 13

export interface TreeInit {
  /** signed node records in `enr:` text form */
  enrs: readonly string[]
  /** enrtree:// URLs of other trees */
  links: readonly string[]
  seq: number
  /** the domain the root is published at, e.g. `nodes.example.org` */
  domain: string
}

export interface SignedTree {
  /** the root TXT text, published at `domain` */
  readonly root: string
  readonly rootEntry: RootEntry
  /** the enrtree:// URL of this tree */
  readonly url: string
  /** every TXT record, keyed by full DNS name: the root at `domain`, entries at `<hash>.<domain>` */
  readonly records: ReadonlyMap<string, string>
}

/**
 * Builds and signs a tree the way go-ethereum's MakeTree and Sign do: records sorted by node id,
 * leaves grouped 13 to a branch level by level, a single leaf used directly, and an empty list as
 * an empty branch.
 */
export function buildTree(init: TreeInit, privateKey: Uint8Array, secp: Secp256k1Provider): SignedTree {
  if (!Number.isSafeInteger(init.seq) || init.seq < 0)
    throw new InvalidParametersError(`dnsdisc: seq ${init.seq} is not a non-negative integer`)
  if (init.domain === '' || /[\s@]/.test(init.domain))
    throw new InvalidParametersError(`dnsdisc: bad domain ${JSON.stringify(init.domain)}`)
  const records = init.enrs
    .map((text) => decodeEnr(text, secp))
    .sort((a, b) => compareBytes(a.nodeId, b.nodeId))
    .map((enr) => enrToText(enr))
  const links = init.links.map((url) => formatEnrtreeUrl(parseEnrtreeUrl(url, secp)))

  const entries = new Map<string, string>()
  const enrTop = buildLevel(records, entries)
  const linkTop = buildLevel(links, entries)
  const enrRoot = entryHash(enrTop)
  const linkRoot = entryHash(linkTop)
  entries.set(enrRoot, enrTop)
  entries.set(linkRoot, linkTop)

  const signature = secp.sign(
    keccak256(utf8ToBytes(rootSigningText({ enrRoot, linkRoot, seq: init.seq }))),
    privateKey,
  )
  const rootEntry: RootEntry = { type: 'root', enrRoot, linkRoot, seq: init.seq, signature }
  const root = formatRoot(rootEntry)

  const named = new Map<string, string>([[init.domain, root]])
  for (const [hash, text] of entries) named.set(`${hash}.${init.domain}`, text)
  for (const [name, text] of named) {
    const size = txtResponseSize(name, text)
    if (size > MAX_UDP_MESSAGE)
      throw new InvalidParametersError(
        `dnsdisc: the TXT answer for ${name} is ${size} bytes, over ${MAX_UDP_MESSAGE}`,
      )
  }
  const url = formatEnrtreeUrl({ publicKey: secp.getPublicKey(privateKey, true), domain: init.domain })
  return { root, rootEntry, url, records: named }
}

/** Returns the text of the subtree's top entry; every entry below it goes into `entries`. */
function buildLevel(texts: readonly string[], entries: Map<string, string>): string {
  if (texts.length === 1) return texts[0] as string
  if (texts.length <= MAX_CHILDREN) {
    const children = texts.map((text) => {
      const hash = entryHash(text)
      entries.set(hash, text)
      return hash
    })
    return formatBranch(children)
  }
  const subtrees: string[] = []
  for (let start = 0; start < texts.length; start += MAX_CHILDREN) {
    const sub = buildLevel(texts.slice(start, start + MAX_CHILDREN), entries)
    entries.set(entryHash(sub), sub)
    subtrees.push(sub)
  }
  return buildLevel(subtrees, entries)
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const length = Math.min(a.length, b.length)
  for (let i = 0; i < length; i++) {
    const diff = (a[i] as number) - (b[i] as number)
    if (diff !== 0) return diff
  }
  return a.length - b.length
}

/**
 * Parses a root and checks its signature against `publicKey` (33 or 65 bytes). Like go-ethereum,
 * only r || s is checked; v is ignored. Throws `EntryDecodeError` or `TreeVerificationError`.
 */
export function verifyRoot(
  root: string | RootEntry,
  publicKey: Uint8Array,
  secp: Secp256k1Provider,
  dnsName = '(root)',
): RootEntry {
  const entry = typeof root === 'string' ? parseRoot(root) : root
  const hash = keccak256(utf8ToBytes(rootSigningText(entry)))
  if (!secp.verify(hash, entry.signature.subarray(0, 64), publicKey))
    throw new TreeVerificationError('bad-signature', dnsName, 'root signature does not match the tree key')
  return entry
}
