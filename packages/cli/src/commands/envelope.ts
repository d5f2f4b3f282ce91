/** `parley envelope inspect <hex>`: what a Whisper v6 / Waku v1 envelope says about itself. */
import { bytesToHex, hexToBytes } from '@parley/crypto'
import {
  decodeEnvelope,
  type Envelope,
  envelopeHash,
  envelopePow,
  envelopeSize,
  topicToBloom,
  topicToHex,
} from '@parley/envelope'
import { InvalidParametersError } from '@parley/interfaces'
import { EXIT_OK, reasonOf } from '../errors.ts'
import { writeLine } from '../io.ts'
import { defineCommand } from './command.ts'

export interface EnvelopeSummary {
  /** unix seconds */
  expiry: number
  /** the expiry as an ISO 8601 time */
  expiryTime: string
  ttl: number
  /** `0x` + 8 hex digits */
  topic: string
  dataSize: number
  /** uint64, `0x` hex */
  nonce: string
  /** keccak256 of the RLP, `0x` hex: the id nodes deduplicate by */
  hash: string
  /** go-ethereum's PoW(); `null` for TTL 0, where it divides by zero */
  pow: number | null
  /** the topic's 64-byte bloom filter, `0x` hex */
  bloom: string
  /** 20 + dataSize: what size limits and PoW count */
  size: number
}

export function summarizeEnvelope(envelope: Envelope): EnvelopeSummary {
  const pow = envelopePow(envelope)
  return {
    expiry: envelope.expiry,
    expiryTime: new Date(envelope.expiry * 1000).toISOString(),
    ttl: envelope.ttl,
    topic: topicToHex(envelope.topic),
    dataSize: envelope.data.length,
    nonce: `0x${envelope.nonce.toString(16)}`,
    hash: `0x${bytesToHex(envelopeHash(envelope))}`,
    pow: Number.isFinite(pow) ? pow : null,
    bloom: `0x${bytesToHex(topicToBloom(envelope.topic))}`,
    size: envelopeSize(envelope),
  }
}

/** Decodes hex RLP; anything else is the user's input to fix (`InvalidParametersError`, exit 2). */
export function parseEnvelopeHex(text: string): Envelope {
  const hex = text.trim()
  let bytes: Uint8Array
  try {
    bytes = hexToBytes(hex)
  } catch (error) {
    throw new InvalidParametersError(`<hex> is not hex: ${reasonOf(error)}`, { cause: error })
  }
  try {
    return decodeEnvelope(bytes)
  } catch (error) {
    throw new InvalidParametersError(`<hex> is not a v1 envelope: ${reasonOf(error)}`, { cause: error })
  }
}

export const envelopeInspectCommand = defineCommand({
  name: 'envelope inspect',
  summary: 'Decode a Whisper v6 / Waku v1 envelope; prints its fields, hash and PoW as JSON',
  description: [
    'Decodes rlp([expiry, ttl, topic, data, nonce]) as go-ethereum does and prints',
    '{"expiry","expiryTime","ttl","topic","dataSize","nonce","hash","pow","bloom","size"}: hash is the',
    "keccak256 of the RLP, pow go-ethereum's PoW() (null for TTL 0), bloom the topic's 64-byte filter",
    'and size 20 + dataSize. Input that is not hex or not an envelope is refused with exit code 2.',
  ].join('\n'),
  arguments: [{ name: 'hex', description: 'The envelope RLP as hex, with or without 0x.' }],
  flags: {},
  usesConfig: false,
  async run({ io, args }) {
    writeLine(io.stdout, JSON.stringify(summarizeEnvelope(parseEnvelopeHex(args[0] ?? ''))))
    return EXIT_OK
  },
})
