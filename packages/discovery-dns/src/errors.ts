import { DecodeError, ParleyError, type ParleyErrorOptions, VerificationError } from '@parley/interfaces'

/** Why a TXT entry or an enrtree:// URL was rejected (go-ethereum's dnsdisc error names, spelled as strings). */
export type EntryErrorReason =
  | 'unknown-entry'
  | 'syntax'
  | 'invalid-child'
  | 'invalid-signature'
  | 'no-public-key'
  | 'bad-public-key'
  | 'invalid-enr'
  | 'bad-scheme'

export type EntryKind = 'root' | 'branch' | 'link' | 'enr' | 'url' | 'entry'

/**
 * A `DecodeError` (code `ERR_DECODE`) naming the entry type and the broken rule, and the DNS name
 * it came from when it was resolved.
 */
export class EntryDecodeError extends DecodeError {
  readonly entry: EntryKind
  readonly reason: EntryErrorReason
  readonly dnsName: string | undefined

  constructor(
    entry: EntryKind,
    reason: EntryErrorReason,
    message: string,
    options?: ParleyErrorOptions & { dnsName?: string },
  ) {
    super(
      `dnsdisc ${options?.dnsName === undefined ? '' : `${options.dnsName} `}${entry}: ${message}`,
      options,
    )
    this.name = 'EntryDecodeError'
    this.entry = entry
    this.reason = reason
    this.dnsName = options?.dnsName
  }
}

export type TreeErrorReason =
  | 'hash-mismatch'
  | 'bad-signature'
  | 'stale-seq'
  | 'link-in-enr-tree'
  | 'enr-in-link-tree'
  | 'root-in-subtree'

/** A `VerificationError` (code `ERR_VERIFICATION`): a record resolved but must not be trusted. */
export class TreeVerificationError extends VerificationError {
  readonly reason: TreeErrorReason
  /** The DNS name whose TXT record failed. */
  readonly dnsName: string

  constructor(reason: TreeErrorReason, dnsName: string, message: string, options?: ParleyErrorOptions) {
    super(`dnsdisc ${dnsName}: ${message}`, options)
    this.name = 'TreeVerificationError'
    this.reason = reason
    this.dnsName = dnsName
  }
}

export type LookupErrorReason = 'no-root' | 'no-entry' | 'resolver' | 'budget'

/** A name had no usable TXT record, or the resolver failed (code `ERR_DNS_LOOKUP`). */
export class DnsLookupError extends ParleyError {
  static override readonly code = 'ERR_DNS_LOOKUP'
  readonly reason: LookupErrorReason
  readonly dnsName: string

  constructor(reason: LookupErrorReason, dnsName: string, message: string, options?: ParleyErrorOptions) {
    super(`dnsdisc ${dnsName}: ${message}`, DnsLookupError.code, options)
    this.name = 'DnsLookupError'
    this.reason = reason
    this.dnsName = dnsName
  }
}
