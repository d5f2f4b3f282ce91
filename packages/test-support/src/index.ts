/**
 * The shared known-answer vectors live beside the checkout in `shared/vectors/` (CI clones the
 * repository with `shared/` next to it). Every accessor throws when a file, case or field is
 * missing, so a test can never pass vacuously because a vector file changed shape.
 */
import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

export type VectorRecord = Record<string, unknown>

export interface VectorCase {
  id: string
  kind?: string
  provenance?: string
  description?: string
  input?: VectorRecord
  expected?: VectorRecord
  derived?: VectorRecord
  expected_official?: VectorRecord
  derived_decode?: VectorRecord
  derived_other_readings?: VectorRecord
  derived_preimage_hex?: string
  note?: string
  /** sub-cases of a rule case */
  cases?: VectorRecord[]
}

export interface VectorFile {
  source?: unknown
  constants?: VectorRecord
  cases: VectorCase[]
  [field: string]: unknown
}

/** `PARLEY_TEST_VECTORS_DIR` when set, else `shared/vectors` beside the repository. */
export function vectorsDir(): string {
  const fromEnv = process.env.PARLEY_TEST_VECTORS_DIR
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv
  // packages/test-support/{src,dist}/index → repository root is three levels up; shared/ is beside it.
  return fileURLToPath(new URL('../../../../shared/vectors/', import.meta.url))
}

const cache = new Map<string, VectorFile>()

/** The parsed vector file, e.g. `loadVectorFile('ecies.json')`. */
export function loadVectorFile(file: string): VectorFile {
  let parsed = cache.get(file)
  if (parsed === undefined) {
    const path = `${vectorsDir().replace(/\/?$/, '/')}${file}`
    if (!existsSync(path)) {
      throw new Error(
        `vector file ${file} not found at ${path}; set PARLEY_TEST_VECTORS_DIR or clone shared/ beside the repo`,
      )
    }
    parsed = JSON.parse(readFileSync(path, 'utf8')) as VectorFile
    if (!Array.isArray(parsed.cases) || parsed.cases.length === 0)
      throw new Error(`vector file ${file} has no cases`)
    cache.set(file, parsed)
  }
  return parsed
}

/** The cases of a vector file. */
export function loadVectors(file: string): VectorCase[] {
  return loadVectorFile(file).cases
}

/** A case that has both an `input` and an `expected` record (most cases do). */
export interface CompleteVectorCase extends VectorCase {
  input: VectorRecord
  expected: VectorRecord
}

/** The cases of a file in which every case has `input` and `expected`; throws otherwise. */
export function loadCompleteVectors(file: string): CompleteVectorCase[] {
  return loadVectors(file).map((vector) => {
    if (typeof vector.input !== 'object' || typeof vector.expected !== 'object') {
      throw new Error(`vector case ${vector.id} in ${file} lacks input or expected`)
    }
    return vector as CompleteVectorCase
  })
}

/** The cases that have both `input` and `expected` (a file may also hold rule or table cases). */
export function completeCases(cases: readonly VectorCase[]): CompleteVectorCase[] {
  return cases.filter(
    (vector): vector is CompleteVectorCase =>
      typeof vector.input === 'object' && typeof vector.expected === 'object',
  )
}

/** The case with this id. */
export function caseById<Case extends VectorCase>(cases: readonly Case[], id: string): Case {
  const found = cases.find((vector) => vector.id === id)
  if (found === undefined) throw new Error(`vector case ${id} is missing`)
  return found
}

/** Cases whose id starts with `prefix`; throws when there are none. */
export function casesWithPrefix<Case extends VectorCase>(cases: readonly Case[], prefix: string): Case[] {
  const found = cases.filter((vector) => vector.id.startsWith(prefix))
  if (found.length === 0) throw new Error(`no vector case starts with ${prefix}`)
  return found
}

export function str(record: VectorRecord | undefined, name: string): string {
  const value = record?.[name]
  if (typeof value !== 'string') throw new Error(`vector field ${name} is missing or not a string`)
  return value
}

export function num(record: VectorRecord | undefined, name: string): number {
  const value = record?.[name]
  if (typeof value !== 'number') throw new Error(`vector field ${name} is missing or not a number`)
  return value
}

/** Any present field, as the caller's type (for lists and records); throws when absent. */
export function field<T = string>(record: VectorRecord | undefined, name: string): T {
  const value = record?.[name]
  if (value === undefined) throw new Error(`vector field ${name} is missing`)
  return value as T
}

/** Lowercase hex of bytes, as the collection writes them. */
export function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('')
}

/** Bytes of a lowercase hex string; throws on anything else. */
export function unhex(text: string): Uint8Array {
  if (!/^([0-9a-f]{2})*$/.test(text)) throw new Error(`not even-length lowercase hex: ${text.slice(0, 20)}`)
  return Uint8Array.from(text.match(/../g) ?? [], (pair) => Number.parseInt(pair, 16))
}

/** A hex field (lowercase, no `0x`, as the collection writes them) as bytes. */
export function hex(record: VectorRecord | undefined, name: string): Uint8Array {
  const text = str(record, name)
  if (!/^([0-9a-f]{2})*$/.test(text)) throw new Error(`vector field ${name} is not even-length lowercase hex`)
  return unhex(text)
}
export {
  commentedOutput,
  type ExampleRun,
  type ReadmeExampleOptions,
  readmeExample,
  runExample,
} from './readme.ts'
export { type DirSetup, perTestDir, removeDir, tempDir } from './temp-dir.ts'
