/** Store checks: the message archive of a composed node, through the capability a protocol would use. */
import { createNode } from '@parley/core'
import { type ArchivedMessage, type MessageCursor, messageArchive } from '@parley/interfaces'
import { memoryStore } from '@parley/store-memory'
import { type DemoCheck, expectThat } from './check.ts'

const MESSAGES = 25
const PAGE = 10

function message(index: number): ArchivedMessage {
  const hash = new Uint8Array(32)
  hash[0] = index
  return {
    hash,
    timestamp: 1_700_000_000_000_000_000n + BigInt(index) * 1_000_000_000n,
    topic: index % 2 === 0 ? 'cafe0001' : 'cafe0002',
    data: Uint8Array.of(index),
  }
}

export const storeChecks: readonly DemoCheck[] = [
  {
    name: 'store.memory',
    async run(context, signal) {
      const node = createNode({ name: 'demo-store', store: memoryStore(), logger: context.logger })
      await node.start({ signal })
      try {
        const archive = node.get(messageArchive)
        // Inserted out of order; the archive orders by (timestamp, hash).
        const messages = Array.from({ length: MESSAGES }, (_, index) => message(index)).reverse()
        const added = await archive.insert(messages, { signal })
        expectThat(added === MESSAGES, `insert added ${added} of ${MESSAGES}`)
        const again = await archive.insert(messages.slice(0, 5), { signal })
        expectThat(again === 0, `re-inserting known hashes added ${again}`)

        const seen: number[] = []
        let cursor: MessageCursor | undefined
        let pages = 0
        do {
          const page = await archive.query({ limit: PAGE, cursor }, { signal })
          seen.push(...page.messages.map((stored) => stored.data[0] ?? -1))
          cursor = page.cursor
          pages++
          expectThat(pages <= MESSAGES, 'cursor paging does not end')
        } while (cursor !== undefined)
        const expected = Array.from({ length: MESSAGES }, (_, index) => index)
        expectThat(
          seen.join() === expected.join(),
          `paging forward returned ${seen.join()} instead of 0..${MESSAGES - 1}`,
        )
        expectThat(pages >= Math.ceil(MESSAGES / PAGE), `only ${pages} pages of at most ${PAGE}`)

        const even = await archive.count({ topics: ['cafe0001'] }, { signal })
        expectThat(even === Math.ceil(MESSAGES / 2), `topic filter counted ${even}`)
        const latest = await archive.query({ limit: 1, direction: 'backward' }, { signal })
        expectThat(latest.messages[0]?.data[0] === MESSAGES - 1, 'backward query did not start at the newest')
        return `${MESSAGES} messages in ${pages} pages of ${PAGE}`
      } finally {
        await node.stop()
      }
    },
  },
]
