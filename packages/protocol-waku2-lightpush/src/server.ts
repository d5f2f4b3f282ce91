/**
 * `WakuLightpushServer`: takes WakuMessages from light clients on lightpush 3.0.0 and 2.0.0-beta1,
 * validates them as the relay would and publishes them, answering with nwaku's status codes.
 */
import {
  AbortError,
  type AbortOptions,
  DecodeError,
  type Logger,
  type WakuLightpushService,
} from '@parley/interfaces'
import { PeerRateLimiter, ServedRequest, type ServiceHost, type ServiceStream } from '@parley/protocol-waku2'
import {
  DECODE_RPC_FAILURE,
  EMPTY_REQUEST_BODY_FAILURE,
  LIGHTPUSH_V2_CODEC,
  LIGHTPUSH_V3_CODEC,
  LightpushStatus,
  NOT_PUBLISHED_ANY_PEER,
  TOO_MANY_REQUESTS_MESSAGE,
  UNKNOWN_REQUEST_ID,
} from './constants.ts'
import type { LightpushServerMetrics } from './metrics.ts'
import type { LightpushServerSettings } from './options.ts'
import { type LightpushRelay, type PushOutcome, publishPushed } from './publish.ts'
import { decodeLightpushRequest, decodePushRpc, encodeLightpushResponse, encodePushRpc } from './rpc.ts'

export interface WakuLightpushServerComponents {
  host: Pick<ServiceHost, 'handle' | 'unhandle'>
  relay: LightpushRelay
  logger: Logger
  metrics: LightpushServerMetrics
}

type Version = 'v2' | 'v3'
type Answer = PushOutcome & { requestId: string }

export class WakuLightpushServer implements WakuLightpushService {
  readonly #components: WakuLightpushServerComponents
  readonly #settings: LightpushServerSettings
  readonly #limiter: PeerRateLimiter
  #active = 0
  #started = false
  #stopping = new AbortController()
  #maintenance: ReturnType<typeof setInterval> | undefined

  constructor(components: WakuLightpushServerComponents, settings: LightpushServerSettings) {
    this.#components = components
    this.#settings = settings
    this.#limiter = new PeerRateLimiter(settings.rateLimit)
  }

  isStarted(): boolean {
    return this.#started
  }

  /** Requests being read and handled now; `maxConcurrentRequests` caps it. */
  get activeRequests(): number {
    return this.#active
  }

  /** The protocol ids served: 3.0.0, and 2.0.0-beta1 unless `legacy: false`. */
  get protocols(): string[] {
    return this.#settings.legacy ? [LIGHTPUSH_V3_CODEC, LIGHTPUSH_V2_CODEC] : [LIGHTPUSH_V3_CODEC]
  }

  async start(options: AbortOptions = {}): Promise<void> {
    if (options.signal?.aborted === true) throw new AbortError('waku2 lightpush start aborted')
    if (this.#started) return
    // Marked first, so a concurrent start returns instead of registering (and arming a timer) twice.
    this.#started = true
    this.#stopping = new AbortController()
    this.#maintenance = setInterval(() => this.#limiter.prune(), 60_000)
    this.#maintenance.unref?.()
    const { host } = this.#components
    await host.handle(LIGHTPUSH_V3_CODEC, (stream, peer) => this.#serve(stream as ServiceStream, peer, 'v3'))
    if (this.#settings.legacy)
      await host.handle(LIGHTPUSH_V2_CODEC, (stream, peer) =>
        this.#serve(stream as ServiceStream, peer, 'v2'),
      )
  }

  async stop(): Promise<void> {
    if (!this.#started) return
    this.#started = false
    clearInterval(this.#maintenance)
    this.#stopping.abort(new AbortError('waku2 lightpush stopped'))
    for (const protocol of this.protocols) await this.#components.host.unhandle(protocol)
  }

  /**
   * Handles `bytes` (a serialized WakuMessage) as if a light client pushed it: this node's own
   * lightpush (nwaku's REST API uses it when the node serves lightpush). Never throws.
   */
  async push(
    pubsubTopic: string | undefined,
    bytes: Uint8Array,
    options: AbortOptions = {},
  ): Promise<PushOutcome> {
    if (options.signal?.aborted === true) throw new AbortError('lightpush aborted')
    const outcome = await this.#publish(pubsubTopic, bytes)
    this.#components.metrics.responses.inc({ protocol: 'local', status_code: outcome.statusCode })
    return outcome
  }

  async #serve(stream: ServiceStream, peer: string, version: Version): Promise<void> {
    const signal = AbortSignal.any([
      AbortSignal.timeout(this.#settings.requestTimeoutMs),
      this.#stopping.signal,
    ])
    const served = new ServedRequest(stream, this.#settings.maxRequestSize)
    const answer = await this.#answer(served, peer, version, signal)
    if (answer === undefined) {
      served.abort(new Error('lightpush request unreadable'))
      return
    }
    const { metrics } = this.#components
    metrics.responses.inc({ protocol: version, status_code: answer.statusCode })
    if (answer.statusCode === LightpushStatus.SUCCESS && answer.pubsubTopic !== undefined)
      metrics.relayed.inc({ pubsub_topic: answer.pubsubTopic })
    try {
      await served.reply(version === 'v3' ? encodeV3(answer) : encodeV2(answer), { signal })
    } catch {
      metrics.errors.inc({ type: 'write_failure' })
    }
  }

  async #answer(
    served: ServedRequest,
    peer: string,
    version: Version,
    signal: AbortSignal,
  ): Promise<Answer | undefined> {
    const { metrics } = this.#components
    // Refused without reading the request, as nwaku does, so its id is unknown.
    if (!this.#limiter.take(peer)) {
      metrics.errors.inc({ type: 'rate_limited' })
      return refusal(LightpushStatus.TOO_MANY_REQUESTS, TOO_MANY_REQUESTS_MESSAGE)
    }
    if (this.#active >= this.#settings.maxConcurrentRequests) {
      metrics.errors.inc({ type: 'busy' })
      return refusal(LightpushStatus.TOO_MANY_REQUESTS, TOO_MANY_REQUESTS_MESSAGE)
    }
    this.#active++
    try {
      const bytes = await served.read({ signal })
      if (bytes === undefined) {
        metrics.errors.inc({ type: 'read_failure' })
        return undefined
      }
      if (bytes === 'oversize') {
        metrics.errors.inc({ type: 'oversize_request' })
        return refusal(
          LightpushStatus.PAYLOAD_TOO_LARGE,
          `request exceeds ${this.#settings.maxRequestSize} bytes`,
        )
      }
      return await (version === 'v3' ? this.#handleV3(bytes) : this.#handleV2(bytes))
    } finally {
      this.#active--
    }
  }

  async #handleV3(bytes: Uint8Array): Promise<Answer> {
    let request: ReturnType<typeof decodeLightpushRequest>
    try {
      request = decodeLightpushRequest(bytes)
      if (request.requestId === '') throw new DecodeError('missing required field request_id')
      if (request.message === undefined) throw new DecodeError('missing required field message')
    } catch (error) {
      return this.#undecodable(error)
    }
    return { requestId: request.requestId, ...(await this.#publish(request.pubsubTopic, request.message)) }
  }

  async #handleV2(bytes: Uint8Array): Promise<Answer> {
    let rpc: ReturnType<typeof decodePushRpc>
    try {
      rpc = decodePushRpc(bytes)
    } catch (error) {
      return { ...this.#undecodable(error), requestId: '' }
    }
    const request = rpc.request
    if (request === undefined)
      return { ...refusal(LightpushStatus.BAD_REQUEST, EMPTY_REQUEST_BODY_FAILURE), requestId: rpc.requestId }
    if (request.message === undefined)
      return {
        ...refusal(LightpushStatus.BAD_REQUEST, `${DECODE_RPC_FAILURE}: missing message`),
        requestId: rpc.requestId,
      }
    return { requestId: rpc.requestId, ...(await this.#publish(request.pubsubTopic, request.message)) }
  }

  #undecodable(error: unknown): Answer {
    if (!(error instanceof DecodeError)) throw error
    this.#components.metrics.errors.inc({ type: 'decode_rpc_failure' })
    return refusal(LightpushStatus.BAD_REQUEST, `${DECODE_RPC_FAILURE}: ${error.message}`)
  }

  #publish(pubsubTopic: string | undefined, message: Uint8Array): Promise<PushOutcome> {
    return publishPushed(this.#components.relay, this.#settings, pubsubTopic, message)
  }
}

function refusal(statusCode: number, statusDesc: string): Answer {
  return { requestId: UNKNOWN_REQUEST_ID, statusCode, statusDesc }
}

function encodeV3(answer: Answer): Uint8Array {
  return encodeLightpushResponse({
    requestId: answer.requestId,
    statusCode: answer.statusCode,
    ...(answer.statusDesc === undefined ? {} : { statusDesc: answer.statusDesc }),
    ...(answer.relayPeerCount === undefined ? {} : { relayPeerCount: answer.relayPeerCount }),
  })
}

/** Legacy answers carry only success and a text; nwaku reports every publish failure alike. */
function encodeV2(answer: Answer): Uint8Array {
  const isSuccess = answer.statusCode === LightpushStatus.SUCCESS
  const info = isSuccess
    ? 'OK'
    : answer.statusCode === LightpushStatus.NO_PEERS_TO_RELAY
      ? NOT_PUBLISHED_ANY_PEER
      : (answer.statusDesc ?? 'unknown')
  return encodePushRpc({ requestId: answer.requestId, response: { isSuccess, info } })
}
