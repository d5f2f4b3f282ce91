/** `WakuLightpushClient`: asks a service peer to relay a WakuMessage, over 3.0.0 or 2.0.0-beta1. */
import { randomUUID } from 'node:crypto'
import {
  AbortError,
  type AbortOptions,
  DecodeError,
  InvalidParametersError,
  LimitExceededError,
  NotStartedError,
  type WakuLightpushClientService,
} from '@parley/interfaces'
import {
  abortStream,
  computeMessageHash,
  encodeWakuMessage,
  isValidContentTopic,
  MAX_WAKU_MESSAGE_SIZE,
  nowNanoseconds,
  openStream,
  parsePubsubTopic,
  peerIdOf,
  requestResponse,
  type ServiceHost,
  type ServiceStream,
  type WakuMessage,
} from '@parley/protocol-waku2'
import {
  LIGHTPUSH_V2_CODEC,
  LIGHTPUSH_V3_CODEC,
  LightpushStatus,
  MAX_LIGHTPUSH_RESPONSE_SIZE,
  REQUEST_TIMEOUT_MS,
} from './constants.ts'
import { LightpushError } from './errors.ts'
import type { LightpushClientMetrics } from './metrics.ts'
import { decodeLightpushResponse, decodePushRpc, encodeLightpushRequest, encodePushRpc } from './rpc.ts'

/** A message to push: a WakuMessage (timestamp defaults to now) and, optionally, its pubsub topic. */
export interface LightpushMessage extends WakuMessage {
  /** Required by 2.0.0-beta1; with 3.0.0 the service picks one (autosharding) when absent. */
  pubsubTopic?: string
}

export interface LightpushOptions extends AbortOptions {
  /** Protocol versions to offer, in preference order. Default `['v3', 'v2']`. */
  protocols?: ReadonlyArray<'v3' | 'v2'>
}

export interface LightpushResult {
  /** the protocol id the service answered on */
  protocol: string
  requestId: string
  /** how many relay peers the service sent it to (3.0.0 only) */
  relayPeerCount?: number
  /** the 14/WAKU2-MESSAGE hash (`0x…`) when the pubsub topic is known */
  hash?: string
}

export interface WakuLightpushClientComponents {
  host: ServiceHost
  metrics: LightpushClientMetrics
}

const CODECS = { v3: LIGHTPUSH_V3_CODEC, v2: LIGHTPUSH_V2_CODEC } as const
export class WakuLightpushClient implements WakuLightpushClientService {
  readonly #components: WakuLightpushClientComponents
  #started = false

  constructor(components: WakuLightpushClientComponents) {
    this.#components = components
  }

  isStarted(): boolean {
    return this.#started
  }

  start(options: AbortOptions = {}): void {
    if (options.signal?.aborted === true) throw new AbortError('waku2 lightpush client start aborted')
    this.#started = true
  }

  stop(): void {
    this.#started = false
  }

  /**
   * Pushes `message` through `peer` (a multiaddr ending in `/p2p/<id>`, or a connected peer id).
   * Resolves once the service relayed it; throws `LightpushError` with the service's status when it
   * refused, `InvalidParametersError`/`LimitExceededError` before sending what cannot succeed.
   */
  async lightpush(
    peer: string,
    message: LightpushMessage,
    options: LightpushOptions = {},
  ): Promise<LightpushResult> {
    if (!this.#started) throw new NotStartedError('waku2 lightpush client is not started')
    const { pubsubTopic, ...fields } = message
    if (pubsubTopic !== undefined) parsePubsubTopic(pubsubTopic)
    if (!isValidContentTopic(fields.contentTopic))
      throw new InvalidParametersError(`invalid content topic: ${fields.contentTopic}`)
    const wakuMessage: WakuMessage = {
      ...fields,
      timestamp: fields.timestamp ?? nowNanoseconds(),
    }
    const serialized = encodeWakuMessage(wakuMessage)
    if (serialized.length > MAX_WAKU_MESSAGE_SIZE)
      throw new LimitExceededError(
        `WakuMessage of ${serialized.length} bytes exceeds ${MAX_WAKU_MESSAGE_SIZE}`,
      )
    const protocols = (options.protocols ?? ['v3', 'v2']).map((version) => CODECS[version])
    if (
      pubsubTopic === undefined &&
      protocols.includes(LIGHTPUSH_V2_CODEC) &&
      !protocols.includes(LIGHTPUSH_V3_CODEC)
    )
      throw new InvalidParametersError('lightpush 2.0.0-beta1 needs a pubsub topic')
    const signal = options.signal ?? AbortSignal.timeout(REQUEST_TIMEOUT_MS)
    peerIdOf(this.#components.host, peer, options)
    const requestId = randomUUID()
    const hash =
      pubsubTopic === undefined
        ? undefined
        : `0x${Buffer.from(computeMessageHash(pubsubTopic, wakuMessage)).toString('hex')}`
    let version = 'none'
    let statusCode = 0
    try {
      const stream = await openStream(this.#components.host, peer, protocols, { signal })
      version = stream.protocol === LIGHTPUSH_V2_CODEC ? 'v2' : 'v3'
      try {
        const answer = await exchange(stream, requestId, pubsubTopic, serialized, signal)
        statusCode = answer.statusCode
        if (answer.requestId !== requestId && answer.statusCode !== LightpushStatus.TOO_MANY_REQUESTS)
          throw new DecodeError(`lightpush response for request ${answer.requestId}, expected ${requestId}`)
        if (answer.statusCode !== LightpushStatus.SUCCESS)
          throw new LightpushError(answer.version === 'v2' ? undefined : answer.statusCode, answer.statusDesc)
        return {
          protocol: stream.protocol ?? LIGHTPUSH_V3_CODEC,
          requestId,
          ...(answer.relayPeerCount === undefined ? {} : { relayPeerCount: answer.relayPeerCount }),
          ...(hash === undefined ? {} : { hash }),
        }
      } catch (error) {
        abortStream(stream, error)
        throw error
      }
    } catch (error) {
      if (options.signal?.aborted === true) throw new AbortError('lightpush aborted', { cause: error })
      throw error
    } finally {
      this.#components.metrics.requests.inc({ protocol: version, status_code: statusCode })
    }
  }
}

interface Answer {
  version: 'v2' | 'v3'
  requestId: string
  statusCode: number
  statusDesc?: string
  relayPeerCount?: number
}

/** Writes the request in the negotiated version and reads the answer, as a v3-style status. */
async function exchange(
  stream: ServiceStream,
  requestId: string,
  pubsubTopic: string | undefined,
  message: Uint8Array,
  signal: AbortSignal,
): Promise<Answer> {
  const limits = { signal, maxResponseSize: MAX_LIGHTPUSH_RESPONSE_SIZE }
  if (stream.protocol === LIGHTPUSH_V2_CODEC) {
    if (pubsubTopic === undefined)
      throw new InvalidParametersError('lightpush 2.0.0-beta1 needs a pubsub topic')
    const request = encodePushRpc({ requestId, request: { pubsubTopic, message } })
    const rpc = decodePushRpc(await requestResponse(stream, request, limits))
    if (rpc.response === undefined) throw new DecodeError('lightpush 2.0.0-beta1 answer has no response')
    const { isSuccess, info } = rpc.response
    return {
      version: 'v2',
      requestId: rpc.requestId,
      statusCode: isSuccess ? LightpushStatus.SUCCESS : LightpushStatus.INTERNAL_SERVER_ERROR,
      ...(info === undefined ? {} : { statusDesc: info }),
    }
  }
  const request = encodeLightpushRequest({
    requestId,
    message,
    ...(pubsubTopic === undefined ? {} : { pubsubTopic }),
  })
  const response = decodeLightpushResponse(await requestResponse(stream, request, limits))
  return { version: 'v3', ...response }
}
