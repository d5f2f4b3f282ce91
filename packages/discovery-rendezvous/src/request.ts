import { decodeEnr, enodeFromEnr, enrToText, formatEnode } from '@parley/enr'
import {
  type AbortOptions,
  DecodeError,
  type DiscoveredPeer,
  InvalidConfigError,
  type Libp2pHost,
  type Secp256k1Provider,
  TimeoutError,
} from '@parley/interfaces'
import type { Clock } from './clock.ts'
import { encodeMessage } from './codec.ts'
import { RendezvousRequestError } from './errors.ts'
import { RENDEZVOUS_PROTOCOL, type RendezvousRequest, type RendezvousResponse, Status } from './messages.ts'
import { type RendezvousStream, readFirstMessage } from './stream.ts'

/** The libp2p peer id at the end of a server multiaddr (`…/p2p/<id>`); `InvalidConfigError` without one. */
export function serverPeerId(address: string): string {
  const match = /\/p2p\/([^/]+)$/.exec(address)
  if (match?.[1] === undefined)
    throw new InvalidConfigError(`a rendezvous server address must end in /p2p/<peer id>: ${address}`)
  return match[1]
}

export interface ExchangeOptions extends AbortOptions {
  timeoutMs: number
  clock: Clock
  onBytes: (direction: 'in' | 'out', count: number) => void
}

/**
 * One request on a fresh stream to `server`, as the Go client does: dial, write, read the answer,
 * close. A non-OK status throws `RendezvousRequestError`; the whole exchange is bounded by `timeoutMs`.
 */
export async function exchange(
  host: Libp2pHost,
  server: string,
  request: RendezvousRequest,
  options: ExchangeOptions,
): Promise<RendezvousResponse> {
  serverPeerId(server)
  const controller = new AbortController()
  const forward = () => controller.abort(options.signal?.reason)
  if (options.signal?.aborted) forward()
  options.signal?.addEventListener('abort', forward, { once: true })
  const timer = options.clock.setTimeout(
    () => controller.abort(new TimeoutError(`rendezvous request to ${server} timed out`)),
    options.timeoutMs,
  )
  try {
    const stream = (await host.dialProtocol(server, RENDEZVOUS_PROTOCOL, {
      signal: controller.signal,
    })) as RendezvousStream
    const bytes = encodeMessage(request)
    options.onBytes('out', bytes.length)
    await stream.sink([bytes])
    const response = await readFirstMessage(stream, {
      signal: controller.signal,
      timeoutMs: options.timeoutMs,
      clock: options.clock,
      onBytes: (count) => options.onBytes('in', count),
    })
    await stream.close?.().catch(() => undefined)
    if (response === undefined || response.type !== request.type + 1)
      throw new DecodeError(`rendezvous server ${server} sent no answer to request type ${request.type}`)
    const answer = response as RendezvousResponse
    if (answer.status !== Status.OK) {
      const text = 'message' in answer ? answer.message : ''
      throw new RendezvousRequestError(`rendezvous server refused: ${answer.status} ${text}`, answer.status)
    }
    return answer
  } catch (error) {
    const reason: unknown = controller.signal.reason
    throw controller.signal.aborted && reason instanceof Error ? reason : error
  } finally {
    options.clock.clearTimeout(timer)
    options.signal?.removeEventListener('abort', forward)
  }
}

/** A discovered record as a peer: its enode, ENR text and the topic it was found under. */
export function peerFromRecord(
  record: Uint8Array,
  topic: string,
  secp256k1: Secp256k1Provider,
): DiscoveredPeer | undefined {
  const enr = decodeEnr(record, secp256k1)
  const enode = enodeFromEnr(enr, secp256k1)
  if (enode.host === undefined || enode.tcp === 0) return undefined
  return {
    id: enode.id,
    enode: formatEnode(enode),
    enr: enrToText(enr),
    capabilities: [topic],
  }
}
