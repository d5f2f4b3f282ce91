/** Store checks: the message archive of a composed node, through the capability a protocol would use. */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createNode } from '@parley/core'
import type { ComponentLogger } from '@parley/interfaces'
import { type ArchivedMessage, type MessageCursor, messageArchive, type Plugin } from '@parley/interfaces'
import { memoryStore } from '@parley/store-memory'
import { sqliteStore } from '@parley/store-sqlite'
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

/** Inserts, dedups, pages forward and backward and counts by topic through the archive capability. */
async function archiveScenario(store: Plugin, logger: ComponentLogger, signal: AbortSignal): Promise<number> {
  const node = createNode({ name: 'demo-store', store, logger })
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
    return pages
  } finally {
    await node.stop()
  }
}

export const storeChecks: readonly DemoCheck[] = [
  {
    name: 'store.memory',
    async run(context, signal) {
      const pages = await archiveScenario(memoryStore(), context.logger, signal)
      return `${MESSAGES} messages in ${pages} pages of ${PAGE}`
    },
  },
  {
    name: 'store.sqlite',
    async run(context, signal) {
      const dir = mkdtempSync(join(tmpdir(), 'parley-demo-'))
      const path = join(dir, 'store.sqlite3')
      try {
        const pages = await archiveScenario(sqliteStore({ path }), context.logger, signal)
        // A new node on the same file sees what the first one stored.
        const reopened = createNode({
          name: 'demo-store-reopened',
          store: sqliteStore({ path }),
          logger: context.logger,
        })
        await reopened.start({ signal })
        try {
          const kept = await reopened.get(messageArchive).count({}, { signal })
          expectThat(kept === MESSAGES, `after reopening, ${kept} of ${MESSAGES} messages were there`)
        } finally {
          await reopened.stop()
        }
        return `${MESSAGES} messages in ${pages} pages of ${PAGE}; all there after reopening (WAL, node:sqlite)`
      } finally {
        rmSync(dir, { recursive: true, force: true })
      }
    },
  },
]
