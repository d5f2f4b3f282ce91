/** Asks one service for records, checking each record's signature. */
import { decodeEnr, type Enr } from '@parley/enr'
import {
  type AbortOptions,
  InvalidParametersError,
  type Libp2pHost,
  type Secp256k1Provider,
} from '@parley/interfaces'
import { lpStream } from 'it-length-prefixed-stream'
import { MAX_RPC_SIZE, PEER_EXCHANGE_CODEC, PeerExchangeStatus, REQUEST_TIMEOUT_MS } from './constants.ts'
import { PeerExchangeError } from './errors.ts'
import { openStream, resolvePeer } from './host.ts'
import type { PeerExchangeMetrics } from './metrics.ts'
import { decodePeerExchangeResponse, encodePeerExchangeRpc } from './rpc.ts'

export interface RequestContext {
  host: Libp2pHost
  secp: Secp256k1Provider
  metrics: PeerExchangeMetrics
}

/**
 * Requests `numPeers` records from `peer` (a multiaddr ending in /p2p/<id>, or a connected peer id).
 * Resolves with the records whose signature verifies (others are counted as `bad_record` and
 * dropped); throws `PeerExchangeError` for a refusal, `DecodeError` for a malformed answer.
 */
export async function requestPeers(
  context: RequestContext,
  peer: string,
  numPeers: number,
  options: AbortOptions = {},
): Promise<Enr[]> {
  if (!Number.isSafeInteger(numPeers) || numPeers < 1)
    throw new InvalidParametersError(`peer exchange: numPeers must be a positive integer, not ${numPeers}`)
  const signal = options.signal ?? AbortSignal.timeout(REQUEST_TIMEOUT_MS)
  const { host, metrics } = context
  const id = await resolvePeer(host, peer, { signal })
  const stream = await openStream(host, id, PEER_EXCHANGE_CODEC, { signal })
  let answer: ReturnType<typeof decodePeerExchangeResponse>
  try {
    const framed = lpStream(stream, { maxDataLength: MAX_RPC_SIZE })
    await framed.write(encodePeerExchangeRpc({ request: { numPeers: BigInt(numPeers) } }), { signal })
    answer = decodePeerExchangeResponse((await framed.read({ signal })).subarray())
    await stream.close({ signal })
  } catch (error) {
    metrics.errors.inc({ type: 'request_failure' })
    stream.abort(error instanceof Error ? error : new Error(String(error)))
    throw error
  }
  if (answer.status !== PeerExchangeStatus.SUCCESS) throw new PeerExchangeError(answer.status, answer.desc)
  const enrs: Enr[] = []
  for (const bytes of answer.enrs) {
    try {
      enrs.push(decodeEnr(bytes, context.secp))
    } catch {
      metrics.errors.inc({ type: 'bad_record' })
    }
  }
  metrics.peersReceived.inc(undefined, enrs.length)
  return enrs
}
