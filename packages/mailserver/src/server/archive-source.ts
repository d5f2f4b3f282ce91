/**
 * Where the mailserver gets the envelopes to archive: status-go's Whisper and Waku call the
 * mailserver's `Archive(envelope)` for every new valid envelope; our protocols emit
 * `envelope:accepted` with the envelope's RLP (`V1DirectEvents`), own posts included, direct (127)
 * ones not. `Mailserver.archive()` takes envelopes from anywhere else (an import, a test).
 */

/** `V1DirectEvents['envelope:accepted']`, with `hash` optional for other sources. */
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
