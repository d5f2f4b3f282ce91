/** Loads a known-answer vector file from the shared collection (/work/shared/vectors). */
import { readFileSync } from 'node:fs'

export interface VectorCase {
  id: string
  input: Record<string, unknown>
  expected?: Record<string, unknown>
  derived?: Record<string, unknown>
}

export function loadVectors(file: string): VectorCase[] {
  const url = new URL(`../../../../shared/vectors/${file}`, import.meta.url)
  return (JSON.parse(readFileSync(url, 'utf8')) as { cases: VectorCase[] }).cases
}

/** The case with this id; throws if the file no longer has it, so a test cannot pass vacuously. */
export function vectorCase(cases: VectorCase[], id: string): VectorCase {
  const found = cases.find((c) => c.id === id)
  if (found === undefined) throw new Error(`vector case ${id} is missing`)
  return found
}

/** A field of a vector case; throws if the file's shape changed. */
export function field<T = string>(record: Record<string, unknown> | undefined, name: string): T {
  const value = record?.[name]
  if (value === undefined) throw new Error(`vector field ${name} is missing`)
  return value as T
}

export const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex')
export const unhex = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'hex'))
