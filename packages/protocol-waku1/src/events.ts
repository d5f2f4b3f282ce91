/** Node events Waku v1 adds to `ParleyEvents` (declaration merging): the confirmations peers send. */
import type { EnvelopeError } from '@parley/envelope'

export interface BatchAcknowledgedEvent {
  protocol: string
  /** the node id that acknowledged */
  peer: string
  /** `0x` + keccak256 of the Messages payload it received (see `envelope:sent`'s `batch`) */
  batch: string
}

export interface BatchResponseEvent extends BatchAcknowledgedEvent {
  /** the envelopes of the batch it refused; empty when it took them all */
  errors: EnvelopeError[]
}

declare module '@parley/interfaces' {
  interface ParleyEvents {
    /** A peer acknowledged a Messages batch (Batch Acknowledged, code 11). */
    'envelope:batch-acknowledged': BatchAcknowledgedEvent
    /** A peer answered a Messages batch with the envelopes it refused (Message Response, code 12). */
    'envelope:batch-response': BatchResponseEvent
  }
}
