/**
 * Answers one peer exchange stream as nwaku does: TOO_MANY_REQUESTS before reading when the peer
 * is over its limit, BAD_REQUEST for an unreadable or undecodable request, else SUCCESS with up to
 * min(num_peers, 60) cached records.
 */
import type { PeerRateLimiter } from '@parley/protocol-waku2'
import { lpStream } from 'it-length-prefixed-stream'
import type { EnrCache } from './cache.ts'
import { MAX_PEERS_CACHE_SIZE, MAX_RPC_SIZE, PeerExchangeStatus } from './constants.ts'
import type { Libp2pStream } from './host.ts'
import type { PeerExchangeMetrics } from './metrics.ts'
import { decodePeerExchangeRequest, encodePeerExchangeRpc, type PeerExchangeRpc } from './rpc.ts'

export interface ServeContext {
  cache: EnrCache
  limiter: PeerRateLimiter
  metrics: PeerExchangeMetrics
  clusterId: number | undefined
  signal: AbortSignal
}

export async function servePeerExchange(
  stream: Libp2pStream,
  peer: string,
  context: ServeContext,
): Promise<void> {
  const { metrics, signal } = context
  const framed = lpStream(stream, { maxDataLength: MAX_RPC_SIZE })
  let answer: PeerExchangeRpc
  // Idle peers are forgotten on every request, so memory follows active peers.
  context.limiter.prune()
  if (!context.limiter.take(peer)) {
    answer = refusal(PeerExchangeStatus.TOO_MANY_REQUESTS)
  } else {
    try {
      const request = decodePeerExchangeRequest((await framed.read({ signal })).subarray())
      const count =
        request.numPeers > BigInt(MAX_PEERS_CACHE_SIZE) ? MAX_PEERS_CACHE_SIZE : Number(request.numPeers)
      const enrs = context.cache.sample(count, context.clusterId)
      answer = { response: { enrs }, responseStatus: { status: PeerExchangeStatus.SUCCESS } }
      metrics.peersSent.inc(undefined, enrs.length)
    } catch (error) {
      if (signal.aborted) {
        stream.abort(error instanceof Error ? error : new Error(String(error)))
        return
      }
      metrics.errors.inc({ type: 'decode_rpc_failure' })
      answer = refusal(PeerExchangeStatus.BAD_REQUEST, error instanceof Error ? error.message : String(error))
    }
  }
  metrics.responses.inc({ status_code: answer.responseStatus?.status ?? 0 })
  try {
    await framed.write(encodePeerExchangeRpc(answer), { signal })
    await stream.close({ signal })
  } catch (error) {
    metrics.errors.inc({ type: 'write_failure' })
    stream.abort(error instanceof Error ? error : new Error(String(error)))
  }
}

function refusal(status: number, desc?: string): PeerExchangeRpc {
  return { responseStatus: desc === undefined ? { status } : { status, desc } }
}
