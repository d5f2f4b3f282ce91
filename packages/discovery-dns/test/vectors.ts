// Vector access is shared by every codec package (@parley/test-support); go-ethereum error names are this package's.
import { loadCompleteVectors } from '@parley/test-support'
import type { EntryErrorReason } from '../src/index.ts'

export type { CompleteVectorCase as VectorCase } from '@parley/test-support'
export { field, toHex as hex, unhex } from '@parley/test-support'

export function loadVectors() {
  return loadCompleteVectors('dnsdisc-eip1459.json')
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
