/**
 * Where the mailserver gets the envelopes to archive. status-go's Whisper and Waku call the
 * mailserver's `Archive(envelope)` for every new valid envelope. `V1PrivacyProtocol` has no such
 * hook yet: `message:received` fires only for subscribed topics and carries no nonce, so the
 * envelope cannot be rebuilt from it. This module listens for the event proposed for the
 * interface, `envelope:accepted` with the envelope's RLP; until a protocol emits it, envelopes
 * reach the archive through `Mailserver.archive()`.
 */

/** The proposed addition to `V1PrivacyProtocolEvents`. */
export interface EnvelopeAcceptedDetail {
  /** the envelope's RLP, as received or sealed */
  envelope: Uint8Array
  /** `0x` + keccak256 of it */
  hash?: string
  from?: string
}

export interface ArchiveSource {
  addEventListener(
    type: 'envelope:accepted',
    listener: (event: CustomEvent<EnvelopeAcceptedDetail>) => void,
  ): void
  removeEventListener(
    type: 'envelope:accepted',
    listener: (event: CustomEvent<EnvelopeAcceptedDetail>) => void,
  ): void
}

/** Calls `archive` with each accepted envelope's RLP; returns the function that stops listening. */
export function listenForAccepted(
  source: ArchiveSource,
  archive: (envelope: Uint8Array) => void,
): () => void {
  const listener = (event: CustomEvent<EnvelopeAcceptedDetail>): void => {
    const envelope = event.detail?.envelope
    if (envelope instanceof Uint8Array) archive(envelope)
  }
  source.addEventListener('envelope:accepted', listener)
  return () => source.removeEventListener('envelope:accepted', listener)
}
