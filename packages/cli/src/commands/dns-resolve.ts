/** `parley dns resolve`: every verified record of an EIP-1459 tree and of the trees it links to. */
import { loadCrypto } from '@parley/crypto'
import { DnsTreeClient, parseEnrtreeUrl } from '@parley/discovery-dns'
import { InvalidParametersError } from '@parley/interfaces'
import { nameServerProblem } from '../config/checks.ts'
import { intOption, stringOption } from '../config/options.ts'
import { EXIT_OK } from '../errors.ts'
import { writeLine } from '../io.ts'
import { defineCommand } from './command.ts'
import { messageOf } from './dns-tree.ts'
import { describeEnr } from './enr.ts'

export const dnsResolveCommand = defineCommand({
  name: 'dns resolve',
  summary: 'Fetch and verify a whole EIP-1459 tree and its links; prints {trees} as JSON',
  description: [
    'Resolves the root of <enrtree-url>, checks its signature and every entry against its hash,',
    'then walks the whole tree, and every tree it links to (up to --max-trees). Prints',
    '{"trees":[{"url","seq","enrs":[{…fields of `parley enr decode`}],"links":["enrtree://…"]}]}.',
    "Queries go to --nameserver (ip or ip:port), else the system's resolvers. A tree that fails",
    'verification exits 1 with the reason.',
  ].join('\n'),
  flags: {
    nameserver: stringOption({
      placeholder: 'host:port',
      description: "The DNS server to ask, `ip` or `ip:port`; the system's resolvers when unset.",
      check: nameServerProblem,
    }),
    'max-trees': intOption({
      default: 16,
      min: 1,
      max: 64,
      description: 'Most trees resolved, the given one and those it links to.',
    }),
  },
  arguments: [{ name: 'enrtree-url', description: 'The tree: enrtree://<public key>@<domain>.' }],
  usesConfig: false,
  async run({ io, flags, args, signal }) {
    const url = (args[0] ?? '').trim()
    const { secp256k1: secp } = await loadCrypto({ signal })
    try {
      parseEnrtreeUrl(url, secp)
    } catch (error) {
      throw new InvalidParametersError(`${url}: not an enrtree:// URL (${messageOf(error)})`, {
        cause: error,
      })
    }
    const client = new DnsTreeClient({
      secp,
      ...(flags.nameserver === undefined ? {} : { servers: [flags.nameserver] }),
      followLinks: false,
    })
    const trees: Array<Record<string, unknown>> = []
    const queue = [url]
    const seen = new Set(queue)
    for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
      const tree = await client.syncTree(next, { signal })
      trees.push({
        url: next,
        seq: tree.root.seq,
        enrs: tree.enrs.map((enr) => describeEnr(enr, secp)),
        links: tree.links,
      })
      for (const link of tree.links) {
        if (seen.has(link) || seen.size >= flags['max-trees']) continue
        seen.add(link)
        queue.push(link)
      }
    }
    writeLine(io.stdout, JSON.stringify({ trees }))
    return EXIT_OK
  },
})
