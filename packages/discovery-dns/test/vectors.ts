/** Loads the shared EIP-1459 known-answer file (/work/shared/vectors/dnsdisc-eip1459.json). */
import { readFileSync } from 'node:fs'
import type { EntryErrorReason } from '../src/index.ts'

export interface VectorCase {
  id: string
  input: Record<string, unknown>
  expected: Record<string, unknown>
  derived?: Record<string, unknown>
}

export function loadVectors(): VectorCase[] {
  const url = new URL('../../../../shared/vectors/dnsdisc-eip1459.json', import.meta.url)
  return (JSON.parse(readFileSync(url, 'utf8')) as { cases: VectorCase[] }).cases
}

/** A field of a vector case; throws if the file's shape changed, so a test cannot pass vacuously. */
export function field<T = string>(record: Record<string, unknown> | undefined, name: string): T {
  const value = record?.[name]
  if (value === undefined) throw new Error(`vector field ${name} is missing`)
  return value as T
}

/** go-ethereum's error variables, as this package's reasons. */
export const GO_ERRORS: Record<string, EntryErrorReason> = {
  errSyntax: 'syntax',
  errInvalidChild: 'invalid-child',
  errNoPubkey: 'no-public-key',
  errBadPubkey: 'bad-public-key',
  errUnknownEntry: 'unknown-entry',
  errInvalidENR: 'invalid-enr',
  errInvalidSig: 'invalid-signature',
}

/** Splits go-ethereum's "branch: errInvalidChild" into the entry kind and our reason. */
export function goError(text: string): { kind: string | undefined; reason: EntryErrorReason } {
  const [kind, name] = text.includes(': ') ? text.split(': ') : [undefined, text]
  const reason = GO_ERRORS[name ?? '']
  if (reason === undefined) throw new Error(`unknown go-ethereum error ${text}`)
  return { kind: kind === 'subtree' ? 'branch' : kind, reason }
}

export const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex')
export const unhex = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'hex'))
