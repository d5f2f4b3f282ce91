/**
 * Why the secure transport refused a message. Each rejection is one of the error classes of
 * `@parley/interfaces` (so callers branch on `code`), a subclass here when the class alone does not
 * say why, and is counted under its `RejectionReason` in `parley_secure_transport_rejected_total`.
 */
import {
  DecodeError,
  LimitExceededError,
  NotFoundError,
  type ParleyErrorOptions,
  UnsupportedError,
  VerificationError,
} from '@parley/interfaces'

export type RejectionReason =
  | 'malformed'
  | 'forged-bundle'
  | 'replay'
  | 'too-many-skipped'
  | 'authentication'
  | 'unknown-bundle'
  | 'no-session'
  | 'not-for-this-device'
  | 'unknown-group-key'
  | 'hash-ratchet'
  | 'other'

/** A ratchet message whose key was already used or evicted: a replay, or too late. */
export class ReplayError extends VerificationError {
  constructor(message: string, options?: ParleyErrorOptions) {
    super(message, options)
    this.name = 'ReplayError'
  }
}

/** A bundle whose signature does not recover to its identity. */
export class ForgedBundleError extends VerificationError {
  constructor(message: string, options?: ParleyErrorOptions) {
    super(message, options)
    this.name = 'ForgedBundleError'
  }
}

/** A ratchet message further ahead than the skip window (MaxSkip) allows. */
export class TooManySkippedError extends LimitExceededError {
  constructor(message: string, options?: ParleyErrorOptions) {
    super(message, options)
    this.name = 'TooManySkippedError'
  }
}

/** An X3DH header names a signed prekey this installation never had (or has dropped). */
export class UnknownBundleError extends NotFoundError {
  constructor(message: string, options?: ParleyErrorOptions) {
    super(message, options)
    this.name = 'UnknownBundleError'
  }
}

/** A Double Ratchet message for a session this installation does not hold. */
export class NoSessionError extends NotFoundError {
  constructor(message: string, options?: ParleyErrorOptions) {
    super(message, options)
    this.name = 'NoSessionError'
  }
}

/** A `ProtocolMessage` with nothing addressed to this installation (status-go `ErrDeviceNotFound`). */
export class NotForThisDeviceError extends NotFoundError {
  constructor(message: string, options?: ParleyErrorOptions) {
    super(message, options)
    this.name = 'NotForThisDeviceError'
  }
}

/** A hash-ratchet message under a group key we were never given. */
export class UnknownGroupKeyError extends NotFoundError {
  constructor(message: string, options?: ParleyErrorOptions) {
    super(message, options)
    this.name = 'UnknownGroupKeyError'
  }
}

/** The metric label of an error thrown while reading a message. */
export function rejectionReason(error: unknown): RejectionReason {
  if (error instanceof DecodeError) return 'malformed'
  if (error instanceof ForgedBundleError) return 'forged-bundle'
  if (error instanceof ReplayError) return 'replay'
  if (error instanceof TooManySkippedError) return 'too-many-skipped'
  if (error instanceof VerificationError) return 'authentication'
  if (error instanceof UnknownBundleError) return 'unknown-bundle'
  if (error instanceof NoSessionError) return 'no-session'
  if (error instanceof NotForThisDeviceError) return 'not-for-this-device'
  if (error instanceof UnknownGroupKeyError) return 'unknown-group-key'
  if (error instanceof UnsupportedError) return 'hash-ratchet'
  return 'other'
}
