/**
 * The checks go-ethereum's `Whisper.add` (and status-go's Waku `add`) run on every received envelope,
 * in the same order, as a verdict instead of an error so that the caller decides what a failure
 * costs the peer.
 */
import { bloomMatches, topicToBloom } from './bloom.ts'
import { type Envelope, envelopePow, envelopeSize } from './envelope.ts'

/** go-ethereum's `DefaultSyncAllowance`: seconds of clock skew tolerated. */
export const DEFAULT_SYNC_ALLOWANCE = 10
/** go-ethereum's and status-go's `DefaultMaxMessageSize` (1 MiB), the node default for `maxSize`. */
export const DEFAULT_MAX_MESSAGE_SIZE = 1024 * 1024

export type EnvelopeRejection =
  /** sent (expiry − ttl) more than the sync allowance in the future: go-ethereum errors */
  | 'future'
  /** expired less than twice the sync allowance ago: go-ethereum drops it silently, no error */
  | 'expired'
  /** expired longer ago: go-ethereum errors ("very old message") */
  | 'too-old'
  /** 20 + len(Data) over `maxSize` */
  | 'too-big'
  /** pow under `minPow` */
  | 'low-pow'
  /** topic outside our bloom filter (only checked when `bloom` is given) */
  | 'bloom-mismatch'

export type EnvelopeVerdict =
  | { ok: true; pow: number }
  | { ok: false; reason: EnvelopeRejection; pow?: number }

export interface ValidateEnvelopeOptions {
  /** our minimum pow */
  minPow: number
  /** unix seconds (default: the clock) */
  now?: number
  /** bytes, compared with 20 + len(Data) (default `DEFAULT_MAX_MESSAGE_SIZE`) */
  maxSize?: number
  /** seconds (default `DEFAULT_SYNC_ALLOWANCE`) */
  syncAllowance?: number
  /** our bloom filter; when given, envelopes whose topic it does not cover are rejected */
  bloom?: Uint8Array
}

/**
 * Whether to accept an envelope, with go-ethereum's rules. Times are uint32 seconds and the
 * subtraction `expiry − ttl` wraps like Go's, so a TTL above the expiry reads as far future.
 * An envelope sent slightly in the future gets its pow recomputed over TTL + (sent − now + 1),
 * as go-ethereum does. `pow` in the verdict is the (adjusted) pow once it has been computed.
 */
export function validateEnvelope(envelope: Envelope, options: ValidateEnvelopeOptions): EnvelopeVerdict {
  const now = (options.now ?? Math.floor(Date.now() / 1000)) >>> 0
  const allowance = options.syncAllowance ?? DEFAULT_SYNC_ALLOWANCE
  const sent = (envelope.expiry - envelope.ttl) >>> 0
  let extraTtl = 0
  if (sent > now) {
    if ((sent - allowance) >>> 0 > now) return { ok: false, reason: 'future' }
    extraTtl = sent - now + 1
  }
  if (envelope.expiry < now) {
    return { ok: false, reason: envelope.expiry + 2 * allowance < now ? 'too-old' : 'expired' }
  }
  if (envelopeSize(envelope) > (options.maxSize ?? DEFAULT_MAX_MESSAGE_SIZE)) {
    return { ok: false, reason: 'too-big' }
  }
  const pow = envelopePow(envelope, extraTtl)
  if (pow < options.minPow) return { ok: false, reason: 'low-pow', pow }
  if (options.bloom !== undefined && !bloomMatches(options.bloom, topicToBloom(envelope.topic))) {
    return { ok: false, reason: 'bloom-mismatch', pow }
  }
  return { ok: true, pow }
}
