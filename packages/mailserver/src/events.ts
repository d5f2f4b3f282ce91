/**
 * The events the mailserver and its client add to the node's `ParleyEvents` (declaration merging),
 * so an app can show "up to date" or "couldn't reach any mailserver" instead of silence.
 */
import type { MailserverFailureReason } from './server/errors.ts'

export interface MailserverServedDetail {
  /** `shh/6` or `waku/1` */
  protocol: string
  peer: string
  /** hex, no `0x` */
  requestId: string
  envelopes: number
  bytes: number
  ms: number
}

export interface MailserverRefusedDetail {
  protocol: string
  peer: string
  reason: MailserverFailureReason
  /** hex, when the request got far enough to have one */
  requestId?: string
}

export interface HistorySyncedDetail {
  /** `0x` + 8 hex digits each */
  topics: string[]
  /** unix seconds, inclusive */
  from: number
  to: number
  /**
   * `synced`: every page arrived; `partial`: the query's `maxPages` stopped it (the result has a
   * cursor to resume from); `failed`: no mailserver could serve the range
   */
  status: 'synced' | 'partial' | 'failed'
  /** enode of the mailserver that served the last page */
  mailserver?: string
  /** new (not previously seen) envelopes received */
  envelopes: number
  error?: string
}

declare module '@parley/interfaces' {
  interface ParleyEvents {
    'mailserver:served': MailserverServedDetail
    'mailserver:refused': MailserverRefusedDetail
    'history:synced': HistorySyncedDetail
  }
}
