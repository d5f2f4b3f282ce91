/** Loads a known-answer vector file from the shared collection (/work/shared/vectors). */
import { readFileSync } from 'node:fs'

export interface VectorCase {
  id: string
  kind?: string
  input: Record<string, unknown>
  expected?: Record<string, unknown>
  expected_official?: Record<string, unknown>
  derived?: Record<string, unknown>
  derived_decode?: Record<string, unknown>
  derived_other_readings?: Record<string, unknown>
}

export function loadVectors(file: string): VectorCase[] {
  const url = new URL(`../../../../shared/vectors/${file}`, import.meta.url)
  return (JSON.parse(readFileSync(url, 'utf8')) as { cases: VectorCase[] }).cases
}

/** A field of a vector case; throws if the file's shape changed, so a test cannot pass vacuously. */
export function field<T = string>(record: Record<string, unknown> | undefined, name: string): T {
  const value = record?.[name]
  if (value === undefined) throw new Error(`vector field ${name} is missing`)
  return value as T
}

export const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex')
export const unhex = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'hex'))
