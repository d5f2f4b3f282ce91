/**
 * Node events the envelope protocols add to `ParleyEvents` (declaration merging), next to the
 * `envelope:received` and `envelope:rejected` every node has.
 */

export interface EnvelopeExpiredEvent {
  /** `shh/6`, `waku/1` */
  protocol: string
  /** `0x` + keccak256 of the envelope */
  hash: string
  /** `0x` + 8 hex digits */
  topic: string
}

export interface EnvelopeSentEvent {
  protocol: string
  hash: string
  topic: string
  /** the node id it was handed to */
  peer: string
  /** `0x` + keccak256 of the Messages payload: the batch hash a confirming peer acknowledges */
  batch: string
}

declare module '@parley/interfaces' {
  interface ParleyEvents {
    /** The pool's sweep dropped an expired envelope. */
    'envelope:expired': EnvelopeExpiredEvent
    /** An envelope this node posted was handed to a peer (once per peer). */
    'envelope:sent': EnvelopeSentEvent
  }
}
