/** `/debug/v1/info`, `/debug/v1/version`, `/health`, `/admin/v1/peers`: the node itself. */

import { BadRequestError, stringArray } from '../json.ts'
import { json, notMounted, ok, type RouteGroup, text } from '../router.ts'
import type { RestServices, RouteSettings } from '../services.ts'

export function nodeRoutes(services: RestServices, settings: RouteSettings): RouteGroup {
  const { host } = services
  return {
    routes: [
      {
        method: 'GET',
        pattern: '/debug/v1/info',
        handler: () => {
          if (host === undefined) return notMounted('libp2p')
          const enrUri = settings.enr()
          const listenAddresses = host.multiaddrs().map((address) => withPeerId(address, host.peerId))
          // Without an ENR source there is no enrUri (nwaku always has one); see README.
          return json({ listenAddresses, ...(enrUri === undefined ? {} : { enrUri }) })
        },
      },
      { method: 'GET', pattern: '/debug/v1/version', handler: () => text(200, settings.version) },
      {
        method: 'GET',
        pattern: '/health',
        handler: () => {
          const mounted: Array<[string, object | undefined]> = [
            ['Relay', services.relay],
            ['Store', services.store],
            ['Filter', services.filter],
            ['Lightpush', services.lightpush],
          ]
          const protocolsHealth = mounted
            .filter(([, service]) => service !== undefined)
            .map(([name, service]) => ({ [name]: isReady(service) ? 'Ready' : 'Not Ready' }))
          const ready = isReady(host) && host !== undefined
          return json({ nodeHealth: ready ? 'Ready' : 'Initializing', protocolsHealth }, ready ? 200 : 503)
        },
      },
      {
        method: 'GET',
        pattern: '/admin/v1/peers',
        handler: async ({ signal }) => {
          if (host === undefined) return notMounted('libp2p')
          const peers = await host.peerInfo({ signal })
          return json(
            peers.map((peer) => ({
              multiaddr: peer.addresses[0] ?? `/p2p/${peer.id}`,
              protocols: peer.protocols.map((protocol) => ({ protocol, connected: true })),
              origin: 'UNKNOWN',
            })),
          )
        },
      },
      {
        method: 'POST',
        pattern: '/admin/v1/peers',
        handler: async (request) => {
          if (host === undefined) return notMounted('libp2p')
          const addresses = stringArray(await request.body(), 'the body', 100)
          for (const [index, address] of addresses.entries()) {
            if (!/\/p2p\/[^/]+$/.test(address))
              throw new BadRequestError(`peer at index ${index} is not a multiaddr ending in /p2p/<id>`)
            const signal = AbortSignal.any([request.signal, AbortSignal.timeout(settings.requestTimeoutMs)])
            try {
              await host.dial(address, { signal })
            } catch (error) {
              return text(400, `Failed to connect to peer at index: ${index} - ${describe(error)}`)
            }
          }
          return ok()
        },
      },
    ],
  }
}

/** A service without `isStarted` counts as ready once mounted. */
function isReady(service: object | undefined): boolean {
  const probe = (service as { isStarted?: unknown } | undefined)?.isStarted
  return typeof probe === 'function' ? probe.call(service) === true : service !== undefined
}

function withPeerId(address: string, id: string): string {
  return address.endsWith(`/p2p/${id}`) ? address : `${address}/p2p/${id}`
}

export function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
