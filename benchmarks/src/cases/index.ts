/** Every benchmark case, in report order. */
import type { BenchCase } from '../types.ts'
import { hashCases } from './hash.ts'
import { powCases } from './pow.ts'
import { secp256k1Cases } from './secp256k1.ts'
import { symmetricCases } from './symmetric.ts'

export async function loadCases(): Promise<BenchCase[]> {
  return [...(await hashCases()), ...powCases(), ...(await secp256k1Cases()), ...(await symmetricCases())]
}
