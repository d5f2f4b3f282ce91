/**
 * `parley_discovery_bytes_total{source="dns"}`. node:dns does not report sizes, so each lookup is
 * counted as the DNS messages it stands for: the query (header, one question) and, when records
 * come back, a response echoing the question with one compressed-name TXT answer per record. That
 * is the DNS payload only: no UDP/IP framing, no EDNS record, no authority or additional sections,
 * and a retried or failed query counts once outbound and nothing inbound.
 */
import { type Counter, DISCOVERY_BYTES_METRIC, type Metrics } from '@parley/interfaces'
import { encodedNameLength } from './dns-message.ts'
import type { ResolveTxt } from './node-resolver.ts'

const HEADER = 12
/** type and class after a question's name */
const QUESTION_TAIL = 4
/** name pointer, type, class, ttl, rdlength */
const ANSWER_FIXED = 12
const encoder = new TextEncoder()

/** The counter shared by every discovery source (same name, kind and labels as theirs). */
export function discoveryBytesCounter(metrics: Metrics): Counter {
  return metrics.counter(DISCOVERY_BYTES_METRIC)
}

/** Size of a one-question query for `name`. */
export function dnsQuerySize(name: string): number {
  return HEADER + encodedNameLength(name) + QUESTION_TAIL
}

/** Size of the response that carried `records` (each a list of character-strings) for `name`. */
export function txtAnswerSize(name: string, records: readonly (readonly string[])[]): number {
  let size = dnsQuerySize(name)
  for (const strings of records) {
    size += ANSWER_FIXED
    // An empty record still holds one empty character-string.
    if (strings.length === 0) size += 1
    for (const text of strings) size += 1 + encoder.encode(text).length
  }
  return size
}

/** `resolveTxt` that counts every lookup's query and answer on `bytes`. */
export function countingResolveTxt(resolveTxt: ResolveTxt, bytes: Counter): ResolveTxt {
  return async (name, options) => {
    bytes.inc({ source: 'dns', direction: 'out' }, dnsQuerySize(name))
    const records = await resolveTxt(name, options)
    bytes.inc({ source: 'dns', direction: 'in' }, txtAnswerSize(name, records))
    return records
  }
}
