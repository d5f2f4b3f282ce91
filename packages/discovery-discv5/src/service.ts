/**
 * Builds a @chainsafe/discv5 service from parts rather than `Discv5.create`, which wants a libp2p
 * `PrivateKey` object; the parts take the raw key. The config is spelled out in full because the
 * library does not export its defaults; the values are its own except `requestTimeout`.
 */
import { createSocket } from 'node:dgram'
import { createKeypair, Discv5, multiaddrFromSocketAddress, SessionService } from '@chainsafe/discv5'
import type { SignableENR } from '@chainsafe/enr'
import { parseIp } from '@parley/enr'
import { type Counter, InvalidConfigError } from '@parley/interfaces'
import { CountingUdpTransport } from './traffic.ts'

export interface ServiceInit {
  enr: SignableENR
  privateKey: Uint8Array
  host: string
  port: number
  protocolId: string
  requestTimeoutMs: number
  /** `parley_discovery_bytes_total`, counting every UDP packet sent and received */
  bytes: Counter
}

type Discv5Config = ConstructorParameters<typeof Discv5>[0]

export function createDiscv5(init: ServiceInit): Discv5 {
  const config: Discv5Config = {
    addrVotesToUpdateEnr: 10,
    requestTimeout: init.requestTimeoutMs,
    requestRetries: 1,
    sessionTimeout: 86400 * 1000,
    sessionEstablishTimeout: 15 * 1000,
    sessionCacheCapacity: 2000,
    lookupParallelism: 3,
    lookupRequestLimit: 3,
    lookupNumResults: 16,
    lookupTimeout: 60 * 1000,
    pingInterval: 300 * 1000,
    enrUpdate: true,
    allowUnverifiedSessions: false,
    // Added by patches/@chainsafe__discv5@11.0.0.patch.
    protocolId: init.protocolId,
  }
  const octets = parseIp(init.host)
  if (octets === undefined) throw new InvalidConfigError(`discv5: host "${init.host}" is not an IP address`)
  const address = multiaddrFromSocketAddress({
    ip: { type: octets.length === 4 ? 4 : 6, octets },
    port: init.port,
  })
  const transport = new CountingUdpTransport(
    {
      bindAddrs: octets.length === 4 ? { ip4: address } : { ip6: address },
      nodeId: init.enr.nodeId,
      protocolId: init.protocolId,
    },
    init.bytes,
  )
  const keypair = createKeypair({ type: 'secp256k1', privateKey: init.privateKey })
  return new Discv5(config, new SessionService(config, init.enr, keypair, transport))
}

/** A UDP port free on `host` now (bound and released), for `port: 0`. */
export async function freeUdpPort(host: string): Promise<number> {
  const socket = createSocket(host.includes(':') ? 'udp6' : 'udp4')
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject)
      socket.bind(0, host, () => resolve())
    })
    return socket.address().port
  } finally {
    await new Promise<void>((resolve) => socket.close(() => resolve()))
  }
}
