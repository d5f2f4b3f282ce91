/** `parley history`: ask the `mailnode` mailservers for the envelopes of some topics. */
import { decodeEnvelope, envelopeSize, hexToTopic, topicFromName, topicToHex } from '@parley/envelope'
import { historyClient, InvalidParametersError } from '@parley/interfaces'
import { listOption, stringOption } from '../config/options.ts'
import type { ParleyConfig } from '../config/schema.ts'
import { EXIT_OK } from '../errors.ts'
import { writeLine } from '../io.ts'
import { composeNode, loggerFor } from '../node/compose.ts'
import { defineCommand, requireConfig } from './command.ts'

const UNIT_SECONDS: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3600, d: 86_400 }

/** Unix seconds, or a duration before `now` (`90m`, `24h`, `7d`). */
export function parseTime(text: string, flag: string, now: number): number {
  const trimmed = text.trim()
  if (/^\d+$/.test(trimmed)) return Number(trimmed)
  const match = /^(\d+)([smhd])$/.exec(trimmed)
  const unit = UNIT_SECONDS[match?.[2] ?? '']
  if (match === null || unit === undefined) {
    throw new InvalidParametersError(
      `flag --${flag}: expected unix seconds or a duration such as 24h, got "${text}"`,
    )
  }
  return now - Number(match[1]) * unit
}

/** `0x` + 8 hex digits as given, anything else as a name (`status` → keccak256("status")[:4]). */
export function topicOf(text: string): string {
  return topicToHex(/^0x[0-9a-f]{8}$/i.test(text) ? hexToTopic(text) : topicFromName(text))
}

/** A client-only node: a free loopback port, no API, metrics or mailserver, whatever the configuration says. */
function clientConfig(config: ParleyConfig): ParleyConfig {
  return {
    ...config,
    protocol: config.protocol.length > 0 ? config.protocol : ['waku1'],
    'listen-address': '127.0.0.1',
    'devp2p-port': 0,
    staticnode: [],
    'dns-discovery-url': [],
    rpc: false,
    'ws-rpc-port': undefined,
    'rpc-cors': [],
    'metrics-server': false,
    mailserver: false,
  }
}

export const historyCommand = defineCommand({
  name: 'history',
  summary: 'Fetch the history of topics from the --mailnode mailservers; prints it as JSON',
  description: [
    'Runs a short-lived node (a free loopback port; no API, metrics or mailserver) with the configured',
    '--protocol (default waku1), node key and --mailserver-password, asks the fastest --mailnode for',
    'the envelopes of every --topic sent between --from and --to (following cursors, failing over),',
    'then prints {"topics","from","to","envelopes","duplicates","pages","mailserver","requestIds",',
    '"messages":[{"hash","topic","sent","ttl","size"}]}. Exit code 1 when no mailserver answers.',
  ].join('\n'),
  flags: {
    topic: listOption({
      default: [],
      placeholder: 'name|0xhex,…',
      description: 'Topics to fetch: `0x` + 8 hex digits, or a name (`status`) whose Status topic is used.',
    }),
    from: stringOption({
      default: '24h',
      placeholder: 'time',
      description: 'Oldest send time: unix seconds, or a duration ago (`90m`, `24h`, `7d`).',
    }),
    to: stringOption({
      placeholder: 'time',
      description: 'Newest send time, in the same forms. Unset: now.',
    }),
  },
  usesConfig: true,
  async run(context) {
    const { io, flags, signal } = context
    const loaded = requireConfig(context)
    if (loaded.values.mailnode.length === 0) {
      throw new InvalidParametersError('parley history needs a mailserver: --mailnode <enode>')
    }
    if (flags.topic.length === 0) throw new InvalidParametersError('parley history needs --topic')
    const now = Math.floor(Date.now() / 1000)
    const topics = flags.topic.map(topicOf)
    const from = parseTime(flags.from, 'from', now)
    const to = flags.to === undefined ? now : parseTime(flags.to, 'to', now)
    if (to < from) throw new InvalidParametersError(`--to (${to}) is before --from (${from})`)

    // Node logs would bury the answer: only warnings, unless the user chose a level.
    const level = loaded.origins['log-level'] === 'default' ? 'warn' : loaded.values['log-level']
    const logger = loggerFor({ ...loaded.values, 'log-level': level }, io.stderr)
    const { node } = await composeNode(clientConfig(loaded.values), logger, { signal })
    await node.start({ signal })
    try {
      const messages: Array<{ hash: string; topic: string; sent: number; ttl: number; size: number }> = []
      const result = await node.get(historyClient).requestHistory(
        {
          topics,
          from,
          to,
          onEnvelope: (rlp, hash) => {
            const envelope = decodeEnvelope(rlp)
            const sent = envelope.expiry - envelope.ttl
            const size = envelopeSize(envelope)
            messages.push({ hash, topic: topicToHex(envelope.topic), sent, ttl: envelope.ttl, size })
          },
        },
        { signal },
      )
      writeLine(io.stdout, JSON.stringify({ ...result, messages }))
      return EXIT_OK
    } finally {
      await node.stop()
    }
  },
})
