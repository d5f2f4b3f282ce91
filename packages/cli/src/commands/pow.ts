/** `parley pow seal`: how long a proof of work takes here, and the envelope it makes. */
import { randomBytes } from 'node:crypto'
import { bytesToHex } from '@parley/crypto'
import {
  DEFAULT_MAX_MESSAGE_SIZE,
  ENVELOPE_HEADER_LENGTH,
  encodeEnvelope,
  envelopeHash,
  envelopePow,
  hexToTopic,
  sealEnvelope,
} from '@parley/envelope'
import { InvalidParametersError } from '@parley/interfaces'
import { intOption, numberOption, stringOption } from '../config/options.ts'
import { EXIT_OK } from '../errors.ts'
import { writeLine } from '../io.ts'
import { defineCommand } from './command.ts'

export const powSealCommand = defineCommand({
  name: 'pow seal',
  summary: 'Seal random data to a PoW target; prints nonce, PoW reached, time and the envelope as JSON',
  description: [
    'Builds an envelope of --data-size random bytes (expiry = now + --ttl) and searches a nonce',
    'reaching --pow as go-ethereum would, then prints',
    '{"nonce","pow","target","ms","hash","size","envelope"}: pow is what the nonce reached, ms the',
    'search time and envelope the RLP as hex (feed it to `parley envelope inspect`). Ctrl-C stops the',
    'search; --timeout-ms gives up with exit code 1.',
  ].join('\n'),
  flags: {
    'data-size': intOption({
      default: 1024,
      min: 0,
      max: DEFAULT_MAX_MESSAGE_SIZE - ENVELOPE_HEADER_LENGTH,
      description: 'Bytes of random data; the envelope counts 20 more.',
    }),
    ttl: intOption({
      default: 50,
      min: 1,
      max: 0xffff_ffff,
      description: "Time to live, seconds (go-ethereum's default 50). PoW divides by it.",
    }),
    pow: numberOption({
      default: 0.002,
      min: 0,
      description: 'Target proof of work: 0.002 for Status networks, 0.2 for geth nodes, 0 for none.',
    }),
    topic: stringOption({
      default: '0x00000000',
      placeholder: 'hex',
      description: 'The 4-byte topic, as 8 hex digits (see `parley topic`).',
    }),
    'timeout-ms': intOption({
      min: 1,
      max: 2 ** 31 - 1,
      description: 'Give up after this long (exit 1). Unset: search until found or Ctrl-C.',
    }),
  },
  usesConfig: false,
  async run({ io, flags, signal }) {
    let topic: Uint8Array
    try {
      topic = hexToTopic(flags.topic)
    } catch (error) {
      throw new InvalidParametersError(`flag --topic: ${(error as Error).message}`, { cause: error })
    }
    const data = new Uint8Array(randomBytes(flags['data-size']))
    const started = performance.now()
    const envelope = await sealEnvelope(
      { topic, data, ttl: flags.ttl, pow: flags.pow },
      { signal, ...(flags['timeout-ms'] === undefined ? {} : { timeMs: flags['timeout-ms'] }) },
    )
    const ms = Math.round((performance.now() - started) * 10) / 10
    const pow = envelopePow(envelope)
    writeLine(
      io.stdout,
      JSON.stringify({
        nonce: `0x${envelope.nonce.toString(16)}`,
        pow,
        target: flags.pow,
        ms,
        hash: `0x${bytesToHex(envelopeHash(envelope))}`,
        size: ENVELOPE_HEADER_LENGTH + data.length,
        envelope: bytesToHex(encodeEnvelope(envelope)),
      }),
    )
    return EXIT_OK
  },
})
