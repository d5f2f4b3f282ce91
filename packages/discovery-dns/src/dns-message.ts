import { DecodeError } from '@parley/interfaces'

/**
 * The small part of RFC 1035 an authoritative TXT server needs: the header, questions, and TXT
 * answers. Names in answers point back at the question (compression pointer 0xc00c).
 */
export const MAX_UDP_MESSAGE = 512
export const TYPE_TXT = 16
export const TYPE_ANY = 255
export const CLASS_IN = 1
export const RCODE_NOERROR = 0
export const RCODE_FORMERR = 1
export const RCODE_NXDOMAIN = 3
export const RCODE_NOTIMP = 4

const HEADER_SIZE = 12
const MAX_CHARACTER_STRING = 255
const encoder = new TextEncoder()
const decoder = new TextDecoder('utf-8', { fatal: false })

export interface DnsQuestion {
  /** the name as asked (case kept, so answers echo it), without the trailing dot */
  name: string
  type: number
  class: number
}

export interface DnsQuery {
  id: number
  opcode: number
  recursionDesired: boolean
  questions: DnsQuestion[]
}

export interface DnsResponseInit {
  id: number
  opcode: number
  recursionDesired: boolean
  rcode: number
  question?: DnsQuestion
  /** TXT records; each string is split into ≤ 255-byte character-strings */
  txt?: readonly string[]
  ttl?: number
}

/** Bytes of a name in wire form: one length byte per label plus the labels, plus the root byte. */
export function encodedNameLength(name: string): number {
  return name === '' ? 1 : encoder.encode(name).length + 2
}

function txtRdataLength(text: string): number {
  const length = encoder.encode(text).length
  return length + Math.max(1, Math.ceil(length / MAX_CHARACTER_STRING))
}

/** Size of a response carrying one TXT record for `name`, as `encodeResponse` writes it. */
export function txtResponseSize(name: string, text: string): number {
  return HEADER_SIZE + encodedNameLength(name) + 4 + 12 + txtRdataLength(text)
}

function writeName(out: number[], name: string): void {
  if (name !== '') {
    for (const label of name.split('.')) {
      const bytes = encoder.encode(label)
      if (bytes.length === 0 || bytes.length > 63)
        throw new DecodeError(`dns: bad label in ${JSON.stringify(name)}`)
      out.push(bytes.length, ...bytes)
    }
  }
  out.push(0)
}

function push16(out: number[], value: number): void {
  out.push((value >> 8) & 0xff, value & 0xff)
}

/** Encodes a query with one question (used by tests and tools). */
export function encodeQuery(id: number, name: string, type = TYPE_TXT): Uint8Array {
  const out: number[] = []
  push16(out, id)
  push16(out, 0x0100) // RD
  push16(out, 1)
  push16(out, 0)
  push16(out, 0)
  push16(out, 0)
  writeName(out, name)
  push16(out, type)
  push16(out, CLASS_IN)
  return Uint8Array.from(out)
}

/** Encodes an authoritative response. Sets TC and drops the answers when they exceed 512 bytes. */
export function encodeResponse(init: DnsResponseInit): Uint8Array {
  const answers = init.question === undefined ? [] : (init.txt ?? [])
  const build = (withAnswers: boolean): number[] => {
    const out: number[] = []
    push16(out, init.id)
    const flags =
      0x8000 |
      ((init.opcode & 0xf) << 11) |
      0x0400 |
      (init.recursionDesired ? 0x0100 : 0) |
      (init.rcode & 0xf)
    push16(out, withAnswers ? flags : flags | 0x0200)
    push16(out, init.question === undefined ? 0 : 1)
    push16(out, withAnswers ? answers.length : 0)
    push16(out, 0)
    push16(out, 0)
    if (init.question === undefined) return out
    writeName(out, init.question.name)
    push16(out, init.question.type)
    push16(out, init.question.class)
    if (!withAnswers) return out
    for (const text of answers) {
      const bytes = encoder.encode(text)
      push16(out, 0xc000 | HEADER_SIZE)
      push16(out, TYPE_TXT)
      push16(out, CLASS_IN)
      const ttl = init.ttl ?? 60
      push16(out, (ttl >>> 16) & 0xffff)
      push16(out, ttl & 0xffff)
      push16(out, txtRdataLength(text))
      if (bytes.length === 0) out.push(0)
      for (let start = 0; start < bytes.length; start += MAX_CHARACTER_STRING) {
        const chunk = bytes.subarray(start, start + MAX_CHARACTER_STRING)
        out.push(chunk.length, ...chunk)
      }
    }
    return out
  }
  const full = build(true)
  return Uint8Array.from(full.length > MAX_UDP_MESSAGE ? build(false) : full)
}

function read16(bytes: Uint8Array, offset: number): number {
  if (offset + 2 > bytes.length) throw new DecodeError('dns: message is truncated')
  return ((bytes[offset] as number) << 8) | (bytes[offset + 1] as number)
}

/** Reads a name at `offset`, following compression pointers; returns it and the offset after it. */
function readName(bytes: Uint8Array, start: number): [string, number] {
  const labels: string[] = []
  let offset = start
  let end = -1
  for (let jumps = 0; ; ) {
    const length = bytes[offset]
    if (length === undefined) throw new DecodeError('dns: name runs past the message')
    if (length === 0) {
      offset += 1
      break
    }
    if ((length & 0xc0) === 0xc0) {
      if (++jumps > 16) throw new DecodeError('dns: compression pointer loop')
      const target = read16(bytes, offset) & 0x3fff
      if (end === -1) end = offset + 2
      offset = target
      continue
    }
    if ((length & 0xc0) !== 0) throw new DecodeError('dns: unsupported label type')
    if (offset + 1 + length > bytes.length) throw new DecodeError('dns: label runs past the message')
    labels.push(decoder.decode(bytes.subarray(offset + 1, offset + 1 + length)))
    offset += 1 + length
  }
  return [labels.join('.'), end === -1 ? offset : end]
}

/** Decodes a query's header and questions; the other sections are ignored. */
export function decodeQuery(bytes: Uint8Array): DnsQuery {
  if (bytes.length < HEADER_SIZE) throw new DecodeError('dns: message is shorter than a header')
  const id = read16(bytes, 0)
  const flags = read16(bytes, 2)
  if ((flags & 0x8000) !== 0) throw new DecodeError('dns: message is a response')
  const count = read16(bytes, 4)
  const questions: DnsQuestion[] = []
  let offset = HEADER_SIZE
  for (let i = 0; i < count; i++) {
    const [name, next] = readName(bytes, offset)
    questions.push({ name, type: read16(bytes, next), class: read16(bytes, next + 2) })
    offset = next + 4
  }
  return { id, opcode: (flags >> 11) & 0xf, recursionDesired: (flags & 0x0100) !== 0, questions }
}
