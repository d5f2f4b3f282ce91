/**
 * Node records (issue "discovery"): `decodeEnr` of a Waku node's record in `enr:` text form, as DNS
 * trees, discv5 and peer exchange hand them over: base64url, RLP, the v4 checks, the secp256k1
 * signature verification and the node id. No reference: the cost is one secp256k1 verify and a
 * keccak256 or two around it (compare with the secp256k1 verify case); the figure is absolute.
 */
import { addressEntries, decodeEnr, encodeRs, encodeWaku2, enrToText, signEnr } from '@parley/enr'
import type { Secp256k1Provider } from '@parley/interfaces'
import type { BenchCase } from '../types.ts'
import { nodeSecp256k1, providerLabel } from './envelope-inputs.ts'
import { consume, fillPattern } from './inputs.ts'

/** A signed record like an nwaku node's: address, ports, waku2 capabilities and its shards. */
export function wakuEnrText(secp: Secp256k1Provider, index: number): string {
  const key = fillPattern(32, 200 + index)
  const entries: Array<[string, Uint8Array]> = [
    ...addressEntries({ ip: `10.1.${(index >> 8) & 0xff}.${index & 0xff}`, tcp: 60000, udp: 9000 }),
    ['waku2', encodeWaku2(['relay', 'store', 'filter', 'lightpush'])],
    ['rs', encodeRs({ cluster: 16, shards: [32, 64] })],
  ]
  return enrToText(signEnr({ seq: 7, entries }, key, secp))
}

export async function discoveryEnrCases(): Promise<BenchCase[]> {
  const secp = await nodeSecp256k1()
  const records = Array.from({ length: 16 }, (_, i) => wakuEnrText(secp, i))
  return [
    {
      id: 'enr-decode-verify',
      group: 'enr-decode-verify',
      unit: 'ops/s',
      provider: providerLabel(secp, '@parley/enr decodeEnr of enr: text, per CPU-second'),
      cpuTime: true,
      referenceNote:
        'no reference: one secp256k1 verify dominates (see the secp256k1 verify case); the figure is absolute',
      run(iterations) {
        for (let i = 0; i < iterations; i++) consume(decodeEnr(records[i % records.length]!, secp).nodeId)
        return undefined
      },
    },
  ]
}
