/** Loads a known-answer vector file from the shared collection (/work/shared/vectors). */
import { readFileSync } from 'node:fs'
import { hexToBytes } from '@parley/crypto'
import type { WakuMessage } from '@parley/protocol-waku2'

export interface VectorCase {
  id: string
  kind?: string
  input: Record<string, unknown>
  expected: Record<string, unknown>
  derived?: Record<string, unknown>
  derived_preimage_hex?: string
}

export function loadCases(file: string): VectorCase[] {
  const url = new URL(`../../../../shared/vectors/${file}`, import.meta.url)
  const cases = (JSON.parse(readFileSync(url, 'utf8')) as { cases: VectorCase[] }).cases
  if (cases.length === 0) throw new Error(`${file} has no cases`)
  return cases
}

/** The case with this id; throws if the file changed shape, so no test passes vacuously. */
export function caseById(cases: VectorCase[], id: string): VectorCase {
  const found = cases.find((vector) => vector.id === id)
  if (found === undefined) throw new Error(`vector case ${id} is missing`)
  return found
}

export function str(record: Record<string, unknown> | undefined, name: string): string {
  const value = record?.[name]
  if (typeof value !== 'string') throw new Error(`vector field ${name} is missing or not a string`)
  return value
}

export function num(record: Record<string, unknown> | undefined, name: string): number {
  const value = record?.[name]
  if (typeof value !== 'number') throw new Error(`vector field ${name} is missing or not a number`)
  return value
}

/** The WakuMessage of a waku2-message-hash.json case (absent meta/timestamp stay absent). */
export function messageOf(vector: VectorCase): WakuMessage {
  const { input } = vector
  const meta = input.meta_hex
  const timestamp = input.timestamp_hex_be64
  return {
    payload: hexToBytes(str(input, 'payload_hex')),
    contentTopic: str(input, 'content_topic'),
    ...(typeof meta === 'string' ? { meta: hexToBytes(meta) } : {}),
    // The hex field is exact; timestamp_ns is a JSON number and may have lost precision.
    ...(typeof timestamp === 'string' ? { timestamp: BigInt(`0x${timestamp}`) } : {}),
  }
}
