/**
 * EIP-1459 DNS tree resolution (issue "discovery"): a tree of 1,000 signed ENRs, built and signed
 * once, served by @parley/discovery-dns's authoritative TXT server on loopback UDP (what its tests
 * and `parley dns serve` run), and resolved whole by a fresh `DnsTreeClient.syncTree` through
 * node:dns: the root signature, every branch and every record fetched, hash-checked, decoded and
 * its signature verified. The figure is the wall time of one whole resolution (median and p90 per
 * round); the DNS queries it took are logged and checked (one per entry, plus the root).
 */
import {
  buildTree,
  DnsTreeClient,
  type DnsTreeServer,
  nodeResolveTxt,
  type SignedTree,
  serveTree,
} from '@parley/discovery-dns'
import { NotStartedError, VerificationError } from '@parley/interfaces'
import { latencyResult } from '../measure.ts'
import type { BenchCase, SliceResult } from '../types.ts'
import { wakuEnrText } from './discovery-enr.ts'
import { nodeSecp256k1, providerLabel } from './envelope-inputs.ts'
import { fillPattern } from './inputs.ts'

export const DNS_TREE_SIZE = 1000

export interface ServedTree {
  tree: SignedTree
  server: DnsTreeServer
  enrs: number
}

/** Builds and serves a tree of `size` records on 127.0.0.1 (any free port). */
export async function serveEnrTree(size: number): Promise<ServedTree> {
  const secp = await nodeSecp256k1()
  const enrs = Array.from({ length: size }, (_, i) => wakuEnrText(secp, i))
  const tree = buildTree(
    { enrs, links: [], seq: 1, domain: 'nodes.bench.parley' },
    fillPattern(32, 210),
    secp,
  )
  const server = await serveTree(tree.records, { address: '127.0.0.1', port: 0 })
  return { tree, server, enrs: size }
}

/** One whole resolution by a fresh client; returns the records found and the queries sent. */
export async function resolveTree(served: ServedTree): Promise<{ enrs: number; queries: number }> {
  const secp = await nodeSecp256k1()
  const inner = nodeResolveTxt({ servers: [`127.0.0.1:${served.server.port}`] })
  let queries = 0
  const client = new DnsTreeClient({
    secp,
    resolveTxt: (name, options) => {
      queries++
      return inner(name, options)
    },
  })
  const synced = await client.syncTree(served.tree.url)
  return { enrs: synced.enrs.length, queries }
}

export async function dnsTreeCase(
  size = DNS_TREE_SIZE,
  log: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
): Promise<BenchCase> {
  const secp = await nodeSecp256k1()
  let served: ServedTree | undefined
  let queries = 0
  return {
    id: `dns-tree-resolve-${size}`,
    group: 'dns-tree-resolve',
    unit: 'ms',
    provider: providerLabel(secp, `${size} ENRs over loopback UDP, node:dns, whole tree per sample`),
    referenceNote: 'no reference: no other EIP-1459 client runs in this process; the figure is absolute',
    async setup() {
      served = await serveEnrTree(size)
    },
    async teardown() {
      await served?.server.close()
      if (queries > 0) log(`dns-tree-resolve-${size}: ${queries} DNS queries per resolution`)
    },
    async runFor(ms): Promise<SliceResult> {
      if (served === undefined) throw new NotStartedError('dns tree case run before setup')
      const times: number[] = []
      const began = performance.now()
      do {
        const t0 = performance.now()
        const result = await resolveTree(served)
        times.push(performance.now() - t0)
        if (result.enrs !== size) throw new VerificationError(`resolved ${result.enrs} of ${size} records`)
        queries = result.queries
      } while (performance.now() - began < ms)
      return latencyResult(times)
    },
  }
}
