// Run by the crash-recovery suite in a child Node process, which kills it with SIGKILL mid-write.
// argv: <module URL> <export name> <init JSON> <batch size>. Writes numbered batches forever: a
// key-value batch (`batch/<id>/<n>`, 1 kB values), then an insert of as many messages on topic
// `0000<id as 4 hex>`; prints `begin <id>` before and `committed <id>` after both resolved.
import { writeSync } from 'node:fs'
import type { KeyValueStore, MessageArchive } from '@parley/interfaces'

type Store = KeyValueStore & MessageArchive
const [moduleUrl, exportName, initJson, size] = process.argv.slice(2)
const module = (await import(moduleUrl as string)) as Record<string, new (init: unknown) => Store>
const Store = module[exportName as string]
if (Store === undefined) throw new Error(`${moduleUrl} exports no ${exportName}`)
const store = new Store(JSON.parse(initJson as string))
await store.start()
const batchSize = Number(size)
const encoder = new TextEncoder()
const filler = new Uint8Array(1000).fill(0x78)

/** Lines go out with a synchronous write, so the parent sees them before anything that follows. */
function say(line: string): void {
  writeSync(1, `${line}\n`)
}

for (let id = 0; ; id++) {
  const batch = store.batch()
  for (let index = 0; index < batchSize; index++) batch.put(encoder.encode(`batch/${id}/${index}`), filler)
  say(`begin ${id}`)
  await batch.commit()
  await store.insert(
    Array.from({ length: batchSize }, (_, index) => {
      const hash = new Uint8Array(32)
      new DataView(hash.buffer).setUint32(0, id)
      new DataView(hash.buffer).setUint32(4, index)
      // Even indexes on whole seconds (the mailserver's resolution), odd ones a nanosecond later.
      const timestamp = (1_700_000_000n + BigInt(id)) * 1_000_000_000n + BigInt(index % 2)
      return { hash, timestamp, topic: `0000${id.toString(16).padStart(4, '0')}`, data: filler }
    }),
  )
  say(`committed ${id}`)
}
