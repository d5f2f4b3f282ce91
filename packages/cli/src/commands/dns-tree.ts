/**
 * The tree file `parley dns build` writes and `to-txt` / `serve` read: `{ url, root, records }`,
 * records keyed by full DNS name. Reading checks it the way a client would: the root signature
 * against the URL key, and every other record against the hash in its name.
 */
import { readFile } from 'node:fs/promises'
import { entryHash, parseEnrtreeUrl, verifyRoot } from '@parley/discovery-dns'
import { type AbortOptions, InvalidParametersError, type Secp256k1Provider } from '@parley/interfaces'

export interface TreeFile {
  url: string
  root: string
  records: Record<string, string>
}

/** Reads and verifies a tree file; every problem is an `InvalidParametersError` naming the file. */
export async function readTreeFile(
  path: string,
  secp: Secp256k1Provider,
  options: AbortOptions = {},
): Promise<TreeFile> {
  const fail = (reason: string, cause?: unknown) =>
    new InvalidParametersError(`tree file ${path}: ${reason}`, cause === undefined ? undefined : { cause })
  let text: string
  try {
    text = await readFile(path, { encoding: 'utf8', signal: options.signal })
  } catch (error) {
    throw fail(messageOf(error), error)
  }
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    throw fail(`not JSON (${messageOf(error)})`, error)
  }
  const tree = value as Partial<TreeFile> | null
  if (typeof tree?.url !== 'string' || typeof tree.root !== 'string')
    throw fail('want {"url": "enrtree://…", "root": "enrtree-root:v1 …", "records": {…}}')
  const records = tree.records
  if (typeof records !== 'object' || records === null || Array.isArray(records))
    throw fail('"records" must be an object of DNS name → TXT text')
  try {
    const link = parseEnrtreeUrl(tree.url, secp)
    const domain = link.domain.toLowerCase()
    const root = records[link.domain] ?? records[domain]
    if (root !== tree.root) throw fail(`the record at ${link.domain} is not the root`)
    verifyRoot(root, link.publicKey, secp, link.domain)
    for (const [name, txt] of Object.entries(records)) {
      if (typeof txt !== 'string') throw fail(`record ${name} is not text`)
      const lower = name.toLowerCase()
      if (lower === domain) continue
      if (!lower.endsWith(`.${domain}`)) throw fail(`record ${name} is outside ${link.domain}`)
      const hash = name.slice(0, name.length - domain.length - 1)
      if (entryHash(txt) !== hash.toUpperCase()) throw fail(`record ${name} does not match its hash`)
    }
  } catch (error) {
    if (error instanceof InvalidParametersError) throw error
    throw fail(messageOf(error), error)
  }
  return { url: tree.url, root: tree.root, records: { ...records } }
}

/** Zone-file lines, `<name>. <ttl> IN TXT "<text>"`, with text split into 255-byte strings. */
export function zoneText(records: Readonly<Record<string, string>>, ttl: number): string {
  const names = Object.keys(records).sort((a, b) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0))
  return names
    .map((name) => `${name}. ${ttl} IN TXT ${characterStrings(records[name] ?? '')}`)
    .join('\n')
    .concat('\n')
}

function characterStrings(text: string): string {
  const bytes = new TextEncoder().encode(text)
  const parts: string[] = []
  // Tree entries are ASCII, so a byte split never cuts a character.
  for (let start = 0; start < bytes.length || parts.length === 0; start += 255)
    parts.push(new TextDecoder().decode(bytes.subarray(start, start + 255)))
  return parts.map((part) => `"${part.replace(/[\\"]/g, (char) => `\\${char}`)}"`).join(' ')
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
