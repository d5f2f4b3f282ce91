import { join } from 'node:path'
import type { Messenger } from '@parley/chat'
import { chatServices } from '../chat/services.ts'
import { CHAT_HELP, ChatSession } from '../chat/session.ts'
import type { LoadedConfig } from '../config/load.ts'
import type { configSchema, ParleyConfig } from '../config/schema.ts'
import { EXIT_OK, reasonOf } from '../errors.ts'
import { writeLine } from '../io.ts'
import { composeNode, loggerFor } from '../node/compose.ts'
import { defineCommand, requireConfig } from './command.ts'
import { aborted, announce } from './start.ts'

export const chatCommand = defineCommand({
  name: 'chat',
  summary: 'Chat from the terminal on a node of its own: public, one-to-one and group chats',
  description: [
    'Runs a node as start does (same options; exactly one --protocol: whisper, waku1 or waku2 with',
    'relay) plus the Status messaging stack: secure transport (X3DH, Double Ratchet), MVDS and the',
    'messenger, on the node key as chat identity. --data-dir keeps the key, and, unless',
    '--store-message-db-url says otherwise, chats and sessions in <data-dir>/chat.sqlite3. History',
    'comes from --mailnode (Whisper, Waku v1) or --store-node (Waku v2) at start, on /join and on',
    '/history. It prints the endpoints as start does, then "chat key: 0x04…" (what others /msg), then',
    'reads commands from standard input, one per line:',
    '',
    ...CHAT_HELP.map((line) => `  ${line}`),
    '',
    'and prints one line per event: "current|chat <chatId> <type> "<name>" members <n>",',
    '"sent <chatId> <messageId>", "received <chatId> <messageId> <from>: <text>", "delivered',
    '<chatId> <messageId> to <peer>". Problems with a line go to standard error as "error: …".',
    'End of input, /quit, SIGINT or SIGTERM stop the node and exit 0.',
  ].join('\n'),
  flags: {},
  usesConfig: true,
  async run(context) {
    const { io, signal } = context
    const loaded = requireConfig(context)
    const config = chatConfig(loaded)
    // Node logs would drown the conversation: only warnings, unless the user chose a level.
    const level = loaded.origins['log-level'] === 'default' ? 'warn' : config['log-level']
    const logger = loggerFor({ ...config, 'log-level': level }, io.stderr)
    const services = chatServices(config)
    const { node, nodeKey } = await composeNode(config, logger, { signal, services })
    await node.start({ signal })
    const stopFollowing = new AbortController()
    try {
      announce(node, config, nodeKey, io.stdout)
      const messenger = node.service<Messenger>('messenger')
      writeLine(io.stdout, `chat key: ${messenger.publicKey}`)
      const session = new ChatSession(messenger, io.stdout)
      session.follow(stopFollowing.signal)
      if (io.lines === undefined) await aborted(signal)
      else {
        for await (const line of io.lines(AbortSignal.any([signal, stopFollowing.signal]))) {
          try {
            if ((await session.handle(line, { signal })) === 'quit') break
          } catch (error) {
            if (signal.aborted) break
            writeLine(io.stderr, `error: ${reasonOf(error)}`)
          }
        }
      }
    } finally {
      stopFollowing.abort()
      await node.stop()
    }
    writeLine(io.stdout, `node "${config.name}" stopped`)
    return EXIT_OK
  },
})

/** The configuration, with the chat's own store under `data-dir` unless one was chosen. */
function chatConfig(loaded: LoadedConfig<typeof configSchema>): ParleyConfig {
  const config = loaded.values
  const dataDir = config['data-dir']
  if (dataDir === undefined || loaded.origins['store-message-db-url'] !== 'default') return config
  return { ...config, 'store-message-db-url': `sqlite://${join(dataDir, 'chat.sqlite3')}` }
}
