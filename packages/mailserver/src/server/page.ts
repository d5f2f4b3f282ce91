/**
 * One page of a history request, as status-go's `processRequestInBundles` builds it: envelopes
 * from `upper` down to `lower` (newest first, as its Postgres and original LevelDB backends
 * return them), matched by exact topic when the request names topics and by bloom otherwise,
 * grouped into bundles that each fit one packet, at most `limit` of them. When the limit is
 * reached the cursor names the last envelope sent, so the next page starts just before it.
 * Like status-go, a page that ends exactly at the limit still carries a cursor.
 */
import { bytesToHex } from '@parley/crypto'
import { bytesToTopic } from '@parley/envelope'
import type { AbortOptions, ArchivedMessage, MessageArchive, MessageQuery } from '@parley/interfaces'
import { decodeCursor } from '../db-key.ts'
import type { MailRequest } from '../request.ts'
import { archiveCursor, NS_PER_SECOND, wireCursor } from './archived.ts'

/** Bytes an RLP list header and a packet frame add around a bundle; keeps a bundle under the size cap. */
const BUNDLE_OVERHEAD = 16
/** Rows fetched per archive query at most. */
const SCAN_PAGE = 1000

export interface HistoryPage {
  /** each bundle is sent as one p2p message (127) */
  bundles: Uint8Array[][]
  envelopes: number
  bytes: number
  /** all zero when nothing matched */
  lastEnvelopeHash: Uint8Array
  /** empty when the range is exhausted */
  cursor: Uint8Array
}

export type PageRequest = Pick<MailRequest, 'lower' | 'upper' | 'bloom' | 'topics' | 'limit' | 'cursor'>

export async function collectPage(
  archive: MessageArchive,
  request: PageRequest,
  maxBundleBytes: number,
  options?: AbortOptions,
): Promise<HistoryPage> {
  const page: HistoryPage = {
    bundles: [],
    envelopes: 0,
    bytes: 0,
    lastEnvelopeHash: new Uint8Array(32),
    cursor: new Uint8Array(0),
  }
  let bundle: Uint8Array[] = []
  let bundleBytes = 0
  let last: ArchivedMessage | undefined
  for await (const row of matchingRows(archive, request, options)) {
    if (bundle.length > 0 && bundleBytes + row.data.length + BUNDLE_OVERHEAD > maxBundleBytes) {
      page.bundles.push(bundle)
      bundle = []
      bundleBytes = 0
    }
    bundle.push(row.data)
    bundleBytes += row.data.length
    page.envelopes++
    page.bytes += row.data.length
    last = row
    if (page.envelopes >= request.limit) {
      page.cursor = wireCursor(row)
      break
    }
  }
  if (bundle.length > 0) page.bundles.push(bundle)
  if (last !== undefined) page.lastEnvelopeHash = last.hash.slice()
  return page
}

/** Archive rows in the request's range, newest first, that match its topics (or else its bloom). */
async function* matchingRows(
  archive: MessageArchive,
  request: PageRequest,
  options?: AbortOptions,
): AsyncGenerator<ArchivedMessage> {
  // status-go reads each requested topic with BytesToTopic: padded or cut to 4 bytes.
  const topics = request.topics.map((topic) => bytesToHex(bytesToTopic(topic)))
  const query: MessageQuery = {
    from: BigInt(request.lower) * NS_PER_SECOND,
    to: BigInt(request.upper) * NS_PER_SECOND + NS_PER_SECOND - 1n,
    direction: 'backward',
    limit: Math.min(request.limit, SCAN_PAGE),
    // Exact topics win over the bloom, as in status-go; the archive applies either filter.
    ...(topics.length > 0 ? { topics } : { bloom: request.bloom }),
    ...(request.cursor.length > 0 ? { cursor: archiveCursor(decodeCursor(request.cursor)) } : {}),
  }
  for (;;) {
    const result = await archive.query(query, options)
    yield* result.messages
    if (result.cursor === undefined || result.messages.length === 0) return
    query.cursor = result.cursor
  }
}
