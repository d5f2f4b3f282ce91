/** How the receive pipeline refuses input: a typed error under a reason, caught and reported once. */
import type { RejectionReason } from './types.ts'

export class Rejection extends Error {
  readonly reason: RejectionReason
  readonly error: Error
  constructor(reason: RejectionReason, error: Error) {
    super(error.message)
    this.reason = reason
    this.error = error
  }
}

export function reject(reason: RejectionReason, error: Error): never {
  throw new Rejection(reason, error)
}

/** Runs a decoder; what it throws is refused as `malformed`. */
export function decodeAs<T>(decode: () => T): T {
  try {
    return decode()
  } catch (error) {
    return reject('malformed', error as Error)
  }
}
