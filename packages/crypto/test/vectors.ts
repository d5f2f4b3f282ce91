/** Loads a known-answer vector file from the shared collection (/work/shared/vectors). */
import { readFileSync } from 'node:fs'

export interface VectorCase {
  id: string
  kind?: string
  input: Record<string, unknown>
  expected: Record<string, unknown>
  derived?: Record<string, unknown>
}

export function loadVectors(file: string): VectorCase[] {
  const url = new URL(`../../../../shared/vectors/${file}`, import.meta.url)
  return (JSON.parse(readFileSync(url, 'utf8')) as { cases: VectorCase[] }).cases
}

/** A string field of a vector case; throws if the file's shape changed, so a test cannot pass vacuously. */
export function field(record: Record<string, unknown> | undefined, name: string): string {
  const value = record?.[name]
  if (typeof value !== 'string') throw new Error(`vector field ${name} is missing or not a string`)
  return value
}
