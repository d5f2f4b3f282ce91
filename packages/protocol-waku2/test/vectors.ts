// Vector access is shared by every codec package (@parley/test-support); messageOf is this package's.
import { hexToBytes } from '@parley/crypto'
import type { WakuMessage } from '@parley/protocol-waku2'
import { type CompleteVectorCase, completeCases, loadVectors, str } from '@parley/test-support'

export { type CompleteVectorCase as VectorCase, caseById, num, str } from '@parley/test-support'

/** The cases of a file that have input and expected (status-payloads.json also holds an enum table). */
export function loadCases(file: string): CompleteVectorCase[] {
  return completeCases(loadVectors(file))
}

/** The WakuMessage of a waku2-message-hash.json case (absent meta/timestamp stay absent). */
export function messageOf(vector: CompleteVectorCase): WakuMessage {
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
