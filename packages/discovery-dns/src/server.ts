import type * as Dgram from 'node:dgram'
import { AbortError, type AbortOptions, DecodeError, UnsupportedError } from '@parley/interfaces'
import {
  CLASS_IN,
  type DnsQuery,
  decodeQuery,
  encodeResponse,
  RCODE_FORMERR,
  RCODE_NOERROR,
  RCODE_NOTIMP,
  RCODE_NXDOMAIN,
  TYPE_ANY,
  TYPE_TXT,
} from './dns-message.ts'

export interface ServeTreeOptions extends AbortOptions {
  /** default '127.0.0.1' */
  address?: string
  /** default 0: any free port */
  port?: number
  /** TTL of answers in seconds; default 60 */
  ttl?: number
}

/** A running authoritative TXT server. Aborting the `signal` given to `serveTree` also closes it. */
export interface DnsTreeServer {
  readonly address: string
  readonly port: number
  /** Replaces the records served, e.g. after publishing a tree with a higher seq. */
  setRecords(records: ReadonlyMap<string, string>): void
  close(): Promise<void>
}

function dgramModule(): typeof Dgram {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process
  const dgram = proc?.getBuiltinModule?.('node:dgram') as typeof Dgram | undefined
  if (dgram === undefined) throw new UnsupportedError('dnsdisc: node:dgram is not available here')
  return dgram
}

function lowerKeys(records: ReadonlyMap<string, string>): Map<string, string> {
  return new Map([...records].map(([name, text]) => [name.toLowerCase().replace(/\.$/, ''), text]))
}

/** The response to one query: TXT answers for known names, NXDOMAIN for others. */
export function answerQuery(query: DnsQuery, records: ReadonlyMap<string, string>, ttl: number): Uint8Array {
  const base = { id: query.id, opcode: query.opcode, recursionDesired: query.recursionDesired, ttl }
  const question = query.questions[0]
  if (query.opcode !== 0)
    return encodeResponse({ ...base, rcode: RCODE_NOTIMP, ...(question ? { question } : {}) })
  if (question === undefined || query.questions.length !== 1)
    return encodeResponse({ ...base, rcode: RCODE_FORMERR })
  if (question.class !== CLASS_IN && question.class !== TYPE_ANY)
    return encodeResponse({ ...base, rcode: RCODE_NOTIMP, question })
  const text = records.get(question.name.toLowerCase())
  if (text === undefined) return encodeResponse({ ...base, rcode: RCODE_NXDOMAIN, question })
  const wantsTxt = question.type === TYPE_TXT || question.type === TYPE_ANY
  return encodeResponse({ ...base, rcode: RCODE_NOERROR, question, txt: wantsTxt ? [text] : [] })
}

/**
 * Serves tree records (name → TXT text, as `buildTree` returns them) over UDP as an authoritative
 * server. Answers over 512 bytes are sent truncated (TC set); there is no TCP fallback.
 */
export async function serveTree(
  records: ReadonlyMap<string, string>,
  options: ServeTreeOptions = {},
): Promise<DnsTreeServer> {
  if (options.signal?.aborted) throw new AbortError()
  const address = options.address ?? '127.0.0.1'
  const socket = dgramModule().createSocket(address.includes(':') ? 'udp6' : 'udp4')
  let served = lowerKeys(records)
  const ttl = options.ttl ?? 60

  socket.on('message', (message, remote) => {
    let response: Uint8Array
    try {
      response = answerQuery(decodeQuery(message), served, ttl)
    } catch (error) {
      // Never answer responses or scraps: that would let two servers bounce packets forever.
      if (!(error instanceof DecodeError) || message.length < 12 || ((message[2] as number) & 0x80) !== 0)
        return
      response = encodeResponse({
        id: message.readUInt16BE(0),
        opcode: 0,
        recursionDesired: false,
        rcode: RCODE_FORMERR,
      })
    }
    socket.send(response, remote.port, remote.address)
  })

  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject)
    socket.bind(options.port ?? 0, address, () => {
      socket.off('error', reject)
      resolve()
    })
  })
  // A send error to one client must not take the server down.
  socket.on('error', () => {})

  let closed: Promise<void> | undefined
  const close = (): Promise<void> => {
    closed ??= new Promise<void>((resolve) => socket.close(() => resolve()))
    return closed
  }
  options.signal?.addEventListener('abort', () => void close(), { once: true })
  const bound = socket.address()
  return {
    address: bound.address,
    port: bound.port,
    setRecords: (next) => {
      served = lowerKeys(next)
    },
    close,
  }
}
