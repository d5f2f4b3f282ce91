import {
  type Check,
  keyValueStoreChecks,
  keyValueStoreSuite,
  lifecycleChecks,
  lifecycleSuite,
  messageArchiveChecks,
  messageArchiveSuite,
  pluginChecks,
  pluginSuite,
} from '@parley/compliance-tests'
import { capability, type Plugin, type Startable } from '@parley/interfaces'
import { describe, expect, it } from 'vitest'
import {
  type ArchiveBug,
  type KeyValueBug,
  ReferenceKeyValueStore,
  ReferenceMessageArchive,
} from './reference.ts'

const discard = async () => {}

// The suites pass correct implementations…
keyValueStoreSuite('reference key-value store', {
  setup: async () => new ReferenceKeyValueStore(),
  teardown: discard,
})
messageArchiveSuite('reference archive', {
  setup: async () => new ReferenceMessageArchive(),
  teardown: discard,
})

class Service implements Startable {
  started = false
  async start(options?: { signal?: AbortSignal }) {
    if (options?.signal?.aborted) throw Object.assign(new Error('aborted'), { name: 'AbortError' })
    this.started = true
  }
  async stop() {
    this.started = false
  }
  isStarted() {
    return this.started
  }
}
lifecycleSuite('reference service', { setup: async () => new Service(), teardown: discard })

const needed = capability<{ ping(): void }>('test/needed')
pluginSuite('reference plugin', () => ({
  name: 'reference',
  needs: [needed],
  create: (components) => {
    const peer = components.get(needed)
    return { ping: () => peer.ping() }
  },
}))

// …and each catches the bug it is meant to catch.
async function failures<T>(
  checks: Record<string, Check<T>>,
  make: () => Promise<T>,
  start = true,
): Promise<string[]> {
  const failed: string[] = []
  for (const [title, check] of Object.entries(checks)) {
    const instance = await make()
    if (start) await (instance as Startable).start()
    try {
      await check(instance)
    } catch {
      failed.push(title)
    }
  }
  return failed
}

describe('the key-value store suite catches', () => {
  const cases: Array<[KeyValueBug, string]> = [
    ['signed-order', 'entries iterate in unsigned lexicographic byte order'],
    [
      'prefix-without-carry',
      'entries with a prefix yield exactly the keys that start with it, including 0xff prefixes',
    ],
    ['no-copy', 'stores copies: changing a buffer after put or get changes nothing'],
    ['partial-batch', 'a batch commit is all or nothing: an aborted commit applies nothing'],
    ['ignores-abort', 'an aborted signal rejects every operation with AbortError'],
  ]
  it.each(cases)('%s', async (bug, check) => {
    expect(await failures(keyValueStoreChecks, async () => new ReferenceKeyValueStore(bug))).toContain(check)
  })
})

describe('the message archive suite catches', () => {
  const cases: Array<[ArchiveBug, string]> = [
    ['ties-by-insertion', 'query lists every message oldest first, ties on timestamp ordered by hash'],
    ['exclusive-end', 'a time range is inclusive at both ends'],
    ['cursor-by-timestamp', 'forward paging with limit and cursor visits every message exactly once'],
    ['backward-ascending', 'backward paging visits every message exactly once, newest first'],
    ['no-dedup', 'insert counts new messages and ignores hashes already stored'],
    ['delete-inclusive', 'deleteOlderThan deletes strictly older messages and reports how many'],
    [
      'no-bloom',
      'bloom matches v1 topics whose bloom it covers, never other topics, and combines with filters',
    ],
    [
      'no-validation',
      'absurd ranges, limits, blooms and timestamps are typed errors, and leave the archive intact',
    ],
  ]
  it.each(cases)('%s', async (bug, check) => {
    expect(await failures(messageArchiveChecks, async () => new ReferenceMessageArchive(bug))).toContain(
      check,
    )
  })
})

describe('the lifecycle suite catches', () => {
  it('a start that is not idempotent', async () => {
    class Strict extends Service {
      override async start() {
        if (this.started) throw new Error('already started')
        this.started = true
      }
    }
    const failed = await failures(lifecycleChecks, async () => new Strict(), false)
    expect(failed).toContain('start and stop are idempotent')
    expect(failed).toContain('an already-aborted signal rejects start with AbortError and leaves it stopped')
  })

  it('a timer left running by stop', async () => {
    const timers: Array<ReturnType<typeof setInterval>> = []
    class Leaky extends Service {
      override async start(options?: { signal?: AbortSignal }) {
        await super.start(options)
        timers.push(setInterval(() => {}, 60_000))
      }
    }
    const failed = await failures(lifecycleChecks, async () => new Leaky(), false)
    for (const timer of timers) clearInterval(timer)
    expect(failed).toEqual(['stop releases every socket and timer that start acquired'])
  })
})

describe('the plugin suite catches', () => {
  async function failedFor(plugin: Plugin): Promise<string[]> {
    const failed: string[] = []
    for (const [title, check] of Object.entries(pluginChecks())) {
      await check(() => plugin).catch(() => failed.push(title))
    }
    return failed
  }

  it('malformed descriptors', async () => {
    const failed = await failedFor({ name: 'has space', needs: ['x'] as never, create: () => ({}) })
    expect(failed).toContain('has a non-empty name without whitespace')
    expect(failed).toContain('declares provides, needs and wants as arrays of capability symbols')
  })

  it('an async create, and one that shares its service', async () => {
    const shared = {}
    expect(await failedFor({ name: 'async', create: async () => ({}) })).toContain(
      'create returns a service object synchronously',
    )
    expect(await failedFor({ name: 'shared', create: () => shared })).toContain(
      'create makes a new service each time (one per node)',
    )
  })

  it('an undeclared capability, and a timer started in create', async () => {
    const undeclared: Plugin = {
      name: 'sneaky',
      create: (components) => ({ peer: components.getAll(capability('test/x')) }),
    }
    expect(await failedFor(undeclared)).toContain('create only uses capabilities listed in needs or wants')
    const timers: Array<ReturnType<typeof setInterval>> = []
    const eager: Plugin = {
      name: 'eager',
      create: () => ({ timer: timers.push(setInterval(() => {}, 60_000)) }),
    }
    const failed = await failedFor(eager)
    for (const timer of timers) clearInterval(timer)
    expect(failed).toContain('create opens no sockets and starts no timers')
  })
})
