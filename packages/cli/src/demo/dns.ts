/** Discovery checks: a node finds every peer of an EIP-1459 tree served on loopback. */
import { createNode } from '@parley/core'
import { generatePrivateKey, loadCrypto } from '@parley/crypto'
import { buildTree, dnsDiscovery, serveTree } from '@parley/discovery-dns'
import { addressEntries, enrToText, signEnr } from '@parley/enr'
import { AbortError } from '@parley/interfaces'
import { type DemoCheck, expectThat } from './check.ts'

const PEERS = 5

export const dnsChecks: readonly DemoCheck[] = [
  {
    name: 'discovery.dns',
    async run(context, signal) {
      const { secp256k1: secp } = await loadCrypto({ signal })
      const enrs = Array.from({ length: PEERS }, (_, index) =>
        enrToText(
          signEnr(
            { seq: 1, entries: addressEntries({ ip: `10.9.0.${index + 1}`, tcp: 30303, udp: 30303 }) },
            generatePrivateKey(),
            secp,
          ),
        ),
      )
      const tree = buildTree(
        { enrs, links: [], seq: 1, domain: 'nodes.demo.parley' },
        generatePrivateKey(),
        secp,
      )
      const server = await serveTree(tree.records, { address: '127.0.0.1', port: 0, signal })
      try {
        const node = createNode({
          name: 'demo-dns',
          discovery: [dnsDiscovery({ urls: [tree.url], servers: [`127.0.0.1:${server.port}`], secp })],
          logger: context.logger,
        })
        const seen = new Set<string>()
        const all = new Promise<void>((resolve, reject) => {
          node.events.addEventListener('peer:discovery', (event) => {
            if (event.detail.source === 'dns' && event.detail.enr !== undefined) seen.add(event.detail.enr)
            if (seen.size === PEERS) resolve()
          })
          signal.addEventListener('abort', () => reject(new AbortError()), { once: true })
        })
        await node.start({ signal })
        try {
          await all
        } finally {
          await node.stop()
        }
        expectThat(
          enrs.every((enr) => seen.has(enr)),
          `discovered ${seen.size} records, not the ${PEERS} published`,
        )
        return `${PEERS} signed records from ${tree.url.slice(0, 24)}… on 127.0.0.1:${server.port}, via peer:discovery`
      } finally {
        await server.close()
      }
    },
  },
]
