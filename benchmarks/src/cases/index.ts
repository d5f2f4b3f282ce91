/** Every benchmark case, in report order. */
import type { BenchCase } from '../types.ts'
import { archiveCases } from './archive.ts'
import { bridgeCases } from './bridge.ts'
import { chatCases } from './chat-pipeline.ts'
import { dnsTreeCase } from './discovery-dns.ts'
import { discoveryEnrCases } from './discovery-enr.ts'
import { firstPeerCases } from './discovery-first-peer.ts'
import { envelopeCases } from './envelope.ts'
import { hashCases } from './hash.ts'
import { mvdsCases } from './mvds-wire.ts'
import { powCases } from './pow.ts'
import { receiveCases } from './receive.ts'
import { relayCases } from './relay.ts'
import { secp256k1Cases } from './secp256k1.ts'
import { secureRatchetCases } from './secure-ratchet.ts'
import { symmetricCases } from './symmetric.ts'
import { waku2HashCases } from './waku2-hash.ts'
import { waku2RelayCases } from './waku2-relay.ts'
import { waku2StoreCase } from './waku2-store.ts'

export async function loadCases(): Promise<BenchCase[]> {
  return [
    ...(await hashCases()),
    ...powCases(),
    ...(await secp256k1Cases()),
    ...(await symmetricCases()),
    ...(await envelopeCases()),
    ...(await receiveCases()),
    ...relayCases(),
    ...bridgeCases(),
    ...(await archiveCases()),
    ...(await discoveryEnrCases()),
    await dnsTreeCase(),
    ...firstPeerCases(),
    ...waku2HashCases(),
    ...waku2RelayCases(),
    waku2StoreCase(),
    ...(await secureRatchetCases()),
    ...mvdsCases(),
    ...(await chatCases()),
  ]
}
