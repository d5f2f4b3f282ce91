/**
 * One request/response exchange with a mailserver: envelopes arrive as p2p messages (127) from the
 * peer we asked, then a request-complete (125) names our request id. One exchange per peer at a
 * time, so a peer's envelopes belong to the request in flight. Envelopes already seen (from any
 * mailserver or page) are counted as duplicates and not handed on again.
 */
import { bytesToHex, equalBytes, keccak256 } from '@parley/crypto'
import {
  AbortError,
  type AbortOptions,
  DecodeError,
  LimitExceededError,
  TimeoutError,
} from '@parley/interfaces'
import { decodeRequestCompletePayload } from '../complete.ts'
import { MailserverRefusedError } from './errors.ts'

export interface PageReply {
  /** new envelopes */
  envelopes: number
  duplicates: number
  /** empty when the range is exhausted */
  cursor: Uint8Array
  lastEnvelopeHash: Uint8Array
  /** ms from sending the request to the first envelope, when one came */
  firstEnvelopeMs: number | undefined
  /** ms from sending the request to its request-complete */
  completeMs: number
  /** ms from sending the request to the last new envelope handed on (or to completion when none) */
  deliveredMs: number
}

export type EnvelopeHandler = (envelope: Uint8Array, hash: string) => void

interface Pending {
  requestId: Uint8Array
  sentAt: number
  reply: Omit<PageReply, 'cursor' | 'lastEnvelopeHash' | 'completeMs'>
  onEnvelope: EnvelopeHandler | undefined
  settle: (outcome: { ok: true; cursor: Uint8Array; last: Uint8Array } | { ok: false; error: Error }) => void
}

/** The hashes of envelopes already received, oldest forgotten first. */
export class SeenEnvelopes {
  readonly #hashes = new Set<string>()
  readonly #capacity: number

  constructor(capacity: number) {
    this.#capacity = capacity
  }

  /** true when `hash` is new (and remembers it) */
  add(hash: string): boolean {
    if (this.#hashes.has(hash)) return false
    this.#hashes.add(hash)
    if (this.#hashes.size > this.#capacity) this.#hashes.delete(this.#hashes.values().next().value!)
    return true
  }
}

export class Exchanges {
  readonly #pending = new Map<string, Pending>()
  readonly #seen: SeenEnvelopes

  constructor(seen: SeenEnvelopes) {
    this.#seen = seen
  }

  /** p2p messages from `peer`: counted and handed on when a request to it is in flight. */
  onMessages(peer: string, envelopes: readonly Uint8Array[]): void {
    const pending = this.#pending.get(peer)
    if (pending === undefined) return
    const now = performance.now()
    pending.reply.firstEnvelopeMs ??= now - pending.sentAt
    for (const envelope of envelopes) {
      const hash = `0x${bytesToHex(keccak256(envelope))}`
      if (!this.#seen.add(hash)) {
        pending.reply.duplicates++
        continue
      }
      pending.reply.envelopes++
      pending.onEnvelope?.(envelope, hash)
    }
    pending.reply.deliveredMs = performance.now() - pending.sentAt
  }

  /** A request-complete from `peer`; ignored unless it names the request in flight. */
  onComplete(peer: string, payload: Uint8Array): void {
    const pending = this.#pending.get(peer)
    if (pending === undefined) return
    let complete: ReturnType<typeof decodeRequestCompletePayload>
    try {
      complete = decodeRequestCompletePayload(payload)
    } catch (error) {
      if (error instanceof DecodeError) return
      throw error
    }
    if (!equalBytes(complete.requestId, pending.requestId)) return
    if (complete.kind === 'failed') {
      pending.settle({ ok: false, error: new MailserverRefusedError(complete.error) })
    } else {
      pending.settle({ ok: true, cursor: complete.cursor, last: complete.lastEnvelopeHash })
    }
  }

  /** Ends every exchange in flight with `error` (the client is stopping). */
  abortAll(error: Error): void {
    for (const pending of [...this.#pending.values()]) pending.settle({ ok: false, error })
  }

  /**
   * Registers the request, runs `send`, and resolves when its request-complete arrives. Rejects
   * with `MailserverRefusedError` for `ERROR=`, `TimeoutError` after `timeoutMs`, `AbortError`.
   */
  async run(
    peer: string,
    requestId: Uint8Array,
    send: () => Promise<void>,
    timeoutMs: number,
    options: AbortOptions & { onEnvelope?: EnvelopeHandler } = {},
  ): Promise<PageReply> {
    if (options.signal?.aborted === true) throw new AbortError('history request aborted')
    if (this.#pending.has(peer)) throw new LimitExceededError('one request per mailserver at a time')
    const { promise, resolve, reject } = Promise.withResolvers<PageReply>()
    const sentAt = performance.now()
    const cleanup = (): void => {
      clearTimeout(timer)
      options.signal?.removeEventListener('abort', onAbort)
      if (this.#pending.get(peer) === pending) this.#pending.delete(peer)
    }
    const pending: Pending = {
      requestId,
      sentAt,
      reply: { envelopes: 0, duplicates: 0, firstEnvelopeMs: undefined, deliveredMs: 0 },
      onEnvelope: options.onEnvelope,
      settle: (outcome) => {
        cleanup()
        if (!outcome.ok) return reject(outcome.error)
        const completeMs = performance.now() - sentAt
        const deliveredMs = Math.max(pending.reply.deliveredMs, completeMs)
        resolve({
          ...pending.reply,
          deliveredMs,
          completeMs,
          cursor: outcome.cursor,
          lastEnvelopeHash: outcome.last,
        })
      },
    }
    const onAbort = (): void =>
      pending.settle({ ok: false, error: new AbortError('history request aborted') })
    const timer = setTimeout(
      () =>
        pending.settle({ ok: false, error: new TimeoutError(`no request-complete within ${timeoutMs} ms`) }),
      timeoutMs,
    )
    options.signal?.addEventListener('abort', onAbort, { once: true })
    this.#pending.set(peer, pending)
    send().catch((error: unknown) => pending.settle({ ok: false, error: error as Error }))
    return promise
  }
}
