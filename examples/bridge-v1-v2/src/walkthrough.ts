/**
 * The walk-through of docs/WAKU-V2-MIGRATION.md: one app of each generation, one bridge, one public
 * chat. Each app posts once; each must read all three messages exactly once; then the Waku v2 app
 * asks the bridge's store for the chat's history and finds the messages that only ever travelled on
 * Whisper and Waku v1.
 */
import { type Bridge, type BridgeStats, messageBridge } from '@parley/bridge'
import type { ParleyNode } from '@parley/core'
import { type AbortOptions, libp2pHost } from '@parley/interfaces'
import { waku2Store } from '@parley/protocol-waku2-store'
import {
  appNode,
  bridgeNode,
  connect,
  GENERATIONS,
  type Generation,
  inbox,
  post,
  publicChat,
} from './apps.ts'

export interface WalkthroughResult {
  chat: { topic: string; contentTopic: string }
  /** what each app's subscription delivered, in arrival order */
  delivered: Record<Generation, string[]>
  /** the Waku v2 app's store query to the bridge, oldest first */
  history: string[]
  stats: BridgeStats
}

/** Time allowed for anything that should not happen (an echo, a second copy) to happen. */
const QUIET_MS = 500

export async function runWalkthrough(options: AbortOptions = {}): Promise<WalkthroughResult> {
  const chat = await publicChat('parley-migration', options)
  const hub = bridgeNode()
  const apps = new Map<Generation, ParleyNode>(
    GENERATIONS.map((generation) => [generation, appNode(generation)]),
  )
  try {
    await hub.start(options)
    const delivered = {} as Record<Generation, string[]>
    for (const [generation, app] of apps) {
      await app.start(options)
      delivered[generation] = await inbox(generation, app, chat)
      await connect(generation, app, hub, options)
    }
    for (const [generation, app] of apps)
      await post(generation, app, chat, chat.seal(`hello from the ${generation} app`))
    await until(() => GENERATIONS.every((generation) => delivered[generation].length >= 3), options)
    await new Promise((resolve) => setTimeout(resolve, QUIET_MS))

    const history: string[] = []
    const query = {
      pubsubTopic: '/waku/2/rs/0/0',
      contentTopics: [chat.contentTopic],
      includeData: true,
      forward: true,
    }
    const store = apps.get('waku2')!.get(waku2Store)
    for await (const page of store.query(hub.get(libp2pHost).multiaddrs()[0]!, query, options))
      for (const entry of page.messages)
        if (entry.message !== undefined)
          history.push(chat.open(entry.message.payload) ?? '<not for this chat>')

    const stats = (hub.get(messageBridge) as Bridge).stats()
    return { chat: { topic: chat.topic, contentTopic: chat.contentTopic }, delivered, history, stats }
  } finally {
    for (const app of apps.values()) await app.stop()
    await hub.stop()
  }
}

async function until(condition: () => boolean, options: AbortOptions): Promise<void> {
  while (!condition()) {
    options.signal?.throwIfAborted()
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}
