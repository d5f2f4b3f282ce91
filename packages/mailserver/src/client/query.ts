/** The pure parts of a history request: checking the query and cutting it into 24 h windows. */
import { hexToTopic, topicToHex } from '@parley/envelope'
import { InvalidParametersError, TimeoutError } from '@parley/interfaces'
import { MailserverRefusedError } from './errors.ts'

/** status-go refuses a range over 24 h, so longer ranges go as several requests. */
export const MAX_WINDOW_SECONDS = 24 * 60 * 60

/** Topics normalised to `0x` + 8 hex digits; throws `InvalidParametersError` for a bad query. */
export function checkQuery(topics: readonly string[], from: number, to: number): string[] {
  const normalised = topics.map((topic) => topicToHex(hexToTopic(topic)))
  if (normalised.length === 0) throw new InvalidParametersError('name at least one topic')
  const valid =
    Number.isSafeInteger(from) && Number.isSafeInteger(to) && from >= 0 && from <= to && to <= 0xffff_ffff
  if (!valid) throw new InvalidParametersError(`need 0 ≤ from ≤ to < 2^32 unix seconds, got ${from}..${to}`)
  return normalised
}

/** `[lower, upper]` windows covering `from..to`, newest first, each spanning at most 24 h. */
export function historyWindows(from: number, to: number): Array<[lower: number, upper: number]> {
  const windows: Array<[number, number]> = []
  for (let upper = to; upper >= from; ) {
    const lower = Math.max(from, upper - MAX_WINDOW_SECONDS)
    windows.push([lower, upper])
    if (lower === 0) break
    upper = lower - 1
  }
  return windows
}

/** The label a failed page is counted under. */
export function outcomeOf(error: unknown): 'refused' | 'timeout' | 'failed' {
  if (error instanceof MailserverRefusedError) return 'refused'
  if (error instanceof TimeoutError) return 'timeout'
  return 'failed'
}

/** The 65-byte public key of a devp2p node id. */
export function publicKeyOf(nodeId: string): Uint8Array {
  const key = new Uint8Array(65)
  key[0] = 4
  for (let i = 0; i < 64; i++) key[i + 1] = Number.parseInt(nodeId.slice(2 * i, 2 * i + 2), 16)
  return key
}
