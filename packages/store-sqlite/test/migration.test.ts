import { join } from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import { BASE, topicBloom } from '@parley/compliance-tests'
import { SCHEMA_VERSION, SqliteStore } from '@parley/store-sqlite'
import { afterEach, describe, expect, it } from 'vitest'
import { MIGRATIONS } from '../src/migrations.ts'
import { removeDir, tempDir } from './temp.ts'

describe('migration 2 (the topics table)', () => {
  let dir: string | undefined
  afterEach(() => {
    if (dir !== undefined) removeDir(dir)
  })

  it('records the topics of messages a version-1 database already holds, so bloom queries find them', async () => {
    dir = tempDir()
    const path = join(dir, 'v1.db')
    const old = new DatabaseSync(path)
    old.exec('CREATE TABLE schema_version (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)')
    old.exec(MIGRATIONS[0] as string)
    old.prepare('INSERT INTO schema_version VALUES (1, 0)').run()
    const insert = old.prepare('INSERT INTO messages (hash, timestamp, topic, data) VALUES (?, ?, ?, ?)')
    insert.run(new Uint8Array(32).fill(1), BASE, 'cafe0001', new Uint8Array([1]))
    insert.run(new Uint8Array(32).fill(2), BASE + 1n, '01020304', new Uint8Array([2]))
    old.close()

    const store = new SqliteStore({ path })
    await store.start()
    try {
      const page = await store.query({ bloom: topicBloom('01020304') })
      expect(page.messages.map((message) => message.topic)).toEqual(['01020304'])
      expect(await store.count({ bloom: topicBloom('cafe0001') })).toBe(1)
    } finally {
      await store.stop()
    }
    const check = new DatabaseSync(path)
    expect(check.prepare('SELECT MAX(version) AS version FROM schema_version').get()?.version).toBe(
      SCHEMA_VERSION,
    )
    check.close()
  })
})
