/** `parley dns build | to-txt | serve`: publish EIP-1459 node lists (go-ethereum's `devp2p dns`). */
import { readFile } from 'node:fs/promises'
import { hexToBytes, loadCrypto } from '@parley/crypto'
import { buildTree, serveTree } from '@parley/discovery-dns'
import { decodeEnr } from '@parley/enr'
import { InvalidParametersError, type Secp256k1Provider } from '@parley/interfaces'
import { intOption, listOption, stringOption } from '../config/options.ts'
import { EXIT_OK } from '../errors.ts'
import { writeLine } from '../io.ts'
import { defineCommand } from './command.ts'
import { messageOf, readTreeFile, zoneText } from './dns-tree.ts'

const ENODE_REFUSED =
  'enode URLs cannot go in a tree: a tree holds signed ENRs, and only the node itself can sign one; pass its enr: text'

const TTL = intOption({
  default: 60,
  min: 0,
  max: 2 ** 31 - 1,
  description: 'TTL of the TXT records, in seconds.',
})
const TREE = stringOption({
  placeholder: 'file.json',
  description: 'The tree file written by `parley dns build`; it is verified before use.',
})

function required<T>(value: T | undefined, flag: string): T {
  if (value === undefined) throw new InvalidParametersError(`--${flag} is required`)
  return value
}

function privateKey(hex: string, secp: Secp256k1Provider): Uint8Array {
  const digits = hex.startsWith('0x') ? hex.slice(2) : hex
  if (!/^[0-9a-fA-F]{64}$/.test(digits)) throw new InvalidParametersError('--key must be 64 hex digits')
  const key = hexToBytes(digits)
  try {
    secp.getPublicKey(key)
  } catch (error) {
    throw new InvalidParametersError('--key is not a valid secp256k1 private key', { cause: error })
  }
  return key
}

/** Sorts list entries into records and links, refusing enode URLs and anything unsigned. */
function sortEntries(
  entries: readonly { text: string; from: string }[],
  secp: Secp256k1Provider,
  allowLinks: boolean,
) {
  const enrs: string[] = []
  const links: string[] = []
  for (const { text, from } of entries) {
    if (text.startsWith('enode://')) throw new InvalidParametersError(`${from}: ${ENODE_REFUSED}`)
    if (allowLinks && text.startsWith('enrtree://')) {
      links.push(text)
      continue
    }
    try {
      decodeEnr(text, secp)
    } catch (error) {
      throw new InvalidParametersError(`${from}: not a valid signed ENR (${messageOf(error)})`, {
        cause: error,
      })
    }
    enrs.push(text)
  }
  return { enrs, links }
}

async function listFile(path: string, signal: AbortSignal): Promise<{ text: string; from: string }[]> {
  let text: string
  try {
    text = await readFile(path, { encoding: 'utf8', signal })
  } catch (error) {
    throw new InvalidParametersError(`--file ${path}: ${messageOf(error)}`, { cause: error })
  }
  return text
    .split('\n')
    .map((line, index) => ({ text: line.trim(), from: `${path}:${index + 1}` }))
    .filter((line) => line.text !== '' && !line.text.startsWith('#'))
}

export const dnsBuildCommand = defineCommand({
  name: 'dns build',
  summary: 'Build and sign an EIP-1459 node tree; prints {url, root, records} as JSON',
  description: [
    'Signs a tree of node records (--enr, or enr: lines of --file) and links to other trees (--link,',
    'or enrtree:// lines of --file) for --domain, as go-ethereum `devp2p dns sign` does. Prints',
    '{"url":"enrtree://<key>@<domain>","root":"enrtree-root:v1 …","records":{"<name>":"<TXT>"}};',
    'save it as the tree file for `parley dns to-txt` and `parley dns serve`. Publish a changed tree',
    'with a higher --seq: clients refuse a lower one. enode URLs are refused: only a node can sign',
    'its own record, so a tree cannot be made from them.',
  ].join('\n'),
  flags: {
    key: stringOption({
      secret: true,
      placeholder: 'hex',
      description: 'The tree signing key, 64 hex digits; its public key is in the URL.',
    }),
    domain: stringOption({
      placeholder: 'domain',
      description: 'Where the root is published, e.g. nodes.example.org.',
    }),
    seq: stringOption({
      placeholder: 'n',
      description: 'Sequence number of this version; publish changes with a higher one.',
      check: (text) => (/^\d{1,15}$/.test(text) ? undefined : 'want a non-negative integer'),
    }),
    enr: listOption({
      default: [],
      placeholder: 'enr:…',
      description: 'A signed node record; repeat for more.',
    }),
    link: listOption({
      default: [],
      placeholder: 'enrtree://…',
      description: 'A linked tree; repeat for more.',
    }),
    file: stringOption({
      placeholder: 'path',
      description: 'A list file: one enr: or enrtree:// per line; blank lines and # comments are skipped.',
    }),
  },
  usesConfig: false,
  async run({ io, flags, signal }) {
    const domain = required(flags.domain, 'domain')
    const seq = Number(required(flags.seq, 'seq'))
    const { secp256k1: secp } = await loadCrypto({ signal })
    const key = privateKey(required(flags.key, 'key'), secp)
    for (const [index, url] of flags.link.entries())
      if (!url.startsWith('enrtree://'))
        throw new InvalidParametersError(`--link #${index + 1}: want an enrtree:// URL, not "${url}"`)
    const listed = flags.file === undefined ? [] : await listFile(flags.file, signal)
    const fromFile = sortEntries(listed, secp, true)
    const enrs = [
      ...sortEntries(
        flags.enr.map((text, index) => ({ text, from: `--enr #${index + 1}` })),
        secp,
        false,
      ).enrs,
      ...fromFile.enrs,
    ]
    const links = [...flags.link, ...fromFile.links]
    let tree: ReturnType<typeof buildTree>
    try {
      tree = buildTree({ enrs, links, seq, domain }, key, secp)
    } catch (error) {
      throw new InvalidParametersError(messageOf(error), { cause: error })
    }
    writeLine(
      io.stdout,
      JSON.stringify({ url: tree.url, root: tree.root, records: Object.fromEntries(tree.records) }),
    )
    return EXIT_OK
  },
})

export const dnsToTxtCommand = defineCommand({
  name: 'dns to-txt',
  summary: 'Turn a tree file into zone-file TXT lines; prints {"zone": "…"} as JSON',
  description: [
    'Verifies the tree file (root signature, every record against its hash) and prints',
    '{"zone":"<name>. <ttl> IN TXT \\"…\\"\\n…"}: one line per record, text split into 255-byte',
    'strings, for a DNS provider or a BIND zone.',
  ].join('\n'),
  flags: { tree: TREE, ttl: TTL },
  usesConfig: false,
  async run({ io, flags, signal }) {
    const { secp256k1: secp } = await loadCrypto({ signal })
    const tree = await readTreeFile(required(flags.tree, 'tree'), secp, { signal })
    writeLine(io.stdout, JSON.stringify({ zone: zoneText(tree.records, flags.ttl) }))
    return EXIT_OK
  },
})

export const dnsServeCommand = defineCommand({
  name: 'dns serve',
  summary: 'Serve a tree file over UDP DNS until SIGINT/SIGTERM; prints {listening, url} as JSON',
  description: [
    'Verifies the tree file and answers TXT queries for its records as an authoritative UDP server',
    '(no TCP, no recursion): for tests and local networks. Prints one line,',
    '{"listening":"<address>:<port>","url":"enrtree://…"}, then runs until SIGINT or SIGTERM. Point',
    'a client at it with the DNS server "<address>:<port>".',
  ].join('\n'),
  flags: {
    tree: TREE,
    address: stringOption({
      default: '127.0.0.1',
      placeholder: 'ip',
      description: 'The address to listen on.',
    }),
    port: intOption({ default: 5353, min: 0, max: 65535, description: 'The UDP port; 0 picks a free one.' }),
    ttl: TTL,
  },
  usesConfig: false,
  async run({ io, flags, signal }) {
    const { secp256k1: secp } = await loadCrypto({ signal })
    const tree = await readTreeFile(required(flags.tree, 'tree'), secp, { signal })
    const server = await serveTree(new Map(Object.entries(tree.records)), {
      address: flags.address,
      port: flags.port,
      ttl: flags.ttl,
      signal,
    })
    try {
      const host = server.address.includes(':') ? `[${server.address}]` : server.address
      writeLine(io.stdout, JSON.stringify({ listening: `${host}:${server.port}`, url: tree.url }))
      if (!signal.aborted)
        await new Promise<void>((resolve) =>
          signal.addEventListener('abort', () => resolve(), { once: true }),
        )
    } finally {
      await server.close()
    }
    return EXIT_OK
  },
})

export const dnsCommands = [dnsBuildCommand, dnsToTxtCommand, dnsServeCommand]
