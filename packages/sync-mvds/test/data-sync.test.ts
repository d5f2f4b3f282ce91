import { lifecycleSuite, pluginSuite } from '@parley/compliance-tests'
import { bytesToHex } from '@parley/crypto'
import {
  AbortError,
  DecodeError,
  InvalidConfigError,
  InvalidParametersError,
  LimitExceededError,
  NotFoundError,
  NotStartedError,
} from '@parley/interfaces'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { decodePayload, emptyPayload, encodePayload, mvds, type Payload } from '../src/index.ts'
import { createService, FakeClock, GROUP, MapStore, text, utf8 } from './support.ts'

pluginSuite('mvds', () => mvds())
lifecycleSuite('mvds', {
  setup: async () => createService({ transport: async () => {} }, new MapStore()).sync,
  teardown: async (sync) => sync.stop(),
})

/** A started service whose outgoing payloads are collected, with its own fake clock. */
async function started(init: Parameters<typeof createService>[0] = {}) {
  const clock = new FakeClock()
  const sent: { peer: string; payload: Payload }[] = []
  const store = new MapStore()
  const service = createService(
    {
      clock,
      transport: async (peer, bytes) => void sent.push({ peer, payload: decodePayload(bytes) }),
      ...init,
    },
    store,
  )
  await service.sync.start()
  await service.sync.addPeer(GROUP, 'bob')
  return { ...service, clock, sent, store }
}

describe('MvdsDataSync', () => {
  it('refuses bad options with InvalidConfigError', () => {
    expect(() => mvds({ mode: 'push' as never })).toThrow(InvalidConfigError)
    expect(() => mvds({ ordering: 'causal' as never })).toThrow(InvalidConfigError)
    expect(() => mvds({ namespace: 'a/b' })).toThrow(InvalidConfigError)
    expect(() => mvds({ schedule: { maxSendCount: 0 } })).toThrow(InvalidConfigError)
    expect(() => mvds({ maxPayloadBytes: 0 })).toThrow(InvalidConfigError)
  })

  it('needs start, honours aborted signals, and checks arguments', async () => {
    const { sync } = createService({})
    await expect(sync.send(GROUP, utf8('x'))).rejects.toBeInstanceOf(NotStartedError)
    await sync.start()
    await expect(sync.send(GROUP, utf8('x'), { signal: AbortSignal.abort() })).rejects.toBeInstanceOf(
      AbortError,
    )
    await expect(sync.send('g' as never, utf8('x'))).rejects.toBeInstanceOf(InvalidParametersError)
    await expect(sync.addPeer(GROUP, '')).rejects.toBeInstanceOf(InvalidParametersError)
    await sync.stop()
  })

  it('sends on the epoch timer, with the timestamp of the clock, and retransmits on schedule', async () => {
    const { sync, clock, sent, components } = await started({ schedule: { random: () => 0 } })
    const id = await sync.send(GROUP, utf8('hello'))
    expect(sent).toEqual([])
    await clock.advance(300)
    expect(sent).toHaveLength(1)
    expect(sent[0]?.peer).toBe('bob')
    expect(sent[0]?.payload.messages[0]?.timestamp).toBe(BigInt(Math.floor(clock.now() / 1000)))
    await clock.advance(89 * 300)
    expect(sent).toHaveLength(1)
    await clock.advance(300) // 90 epochs after the first send: 30 s backoff × 3 epochs per second
    expect(sent).toHaveLength(2)
    expect(sync.epoch).toBe(91)
    expect(components.recorded.get('parley_mvds_messages_sent_total{kind="persistent"}')).toBe(1)
    expect(components.recorded.get('parley_mvds_retransmissions_total')).toBe(1)

    const delivered: string[] = []
    sync.addEventListener('message:delivered', (e) =>
      delivered.push(`${e.detail.peer}:${bytesToHex(e.detail.id)}`),
    )
    await sync.receive('bob', encodePayload({ ...emptyPayload(), acks: [id] }))
    expect(delivered).toEqual([`bob:${bytesToHex(id)}`])
    await clock.advance(10_000 * 300)
    expect(sent).toHaveLength(2)
    await sync.stop()
    expect(clock.pendingTimers).toBe(0)
  })

  it('emits message:received and ACKs on the next epoch', async () => {
    const { sync, clock, sent } = await started()
    const received: string[] = []
    sync.addEventListener('message:received', (e) => received.push(`${e.detail.from}:${text(e.detail.body)}`))
    const message = { groupId: GROUP, timestamp: 1_700_000_000n, body: utf8('hi') }
    const result = await sync.receive('bob', encodePayload({ ...emptyPayload(), messages: [message] }))
    expect(result).toMatchObject({ delivered: 1, duplicates: 0, rejected: [] })
    expect(received).toEqual(['bob:hi'])
    await clock.advance(300)
    expect(sent[0]?.payload.acks).toHaveLength(1)
    await sync.stop()
  })

  it('sends ephemeral messages once and keeps nothing in the store', async () => {
    const { sync, clock, sent, store } = await started()
    const before = store.data.size
    await sync.send(GROUP, utf8('typing'), { ephemeral: true })
    expect(store.data.size).toBe(before)
    await clock.advance(100 * 300)
    expect(sent).toHaveLength(1)
    expect(sent[0]?.payload.messages[0]?.metadata?.ephemeral).toBe(true)
    await sync.stop()
  })

  it('splits outgoing payloads to maxOutgoingBytes', async () => {
    const { sync, clock, sent } = await started({ maxOutgoingBytes: 100 })
    for (const n of [1, 2, 3]) await sync.send(GROUP, new Uint8Array(60).fill(n))
    await clock.advance(300)
    expect(sent.map((s) => s.payload.messages.length)).toEqual([1, 1, 1])
    await sync.stop()
  })

  it('resends unacknowledged messages after a restart from the same store', async () => {
    const { sync, clock, sent, store } = await started({ schedule: { random: () => 0 } })
    await sync.send(GROUP, utf8('persist me'))
    await clock.advance(300)
    await sync.stop()
    const again = createService({ clock, schedule: { random: () => 0 } }, store).sync
    again.setTransport(async (peer, bytes) => void sent.push({ peer, payload: decodePayload(bytes) }))
    await again.start()
    expect(again.epoch).toBe(1)
    await clock.advance(90 * 300)
    expect(sent.map((s) => text(s.payload.messages[0]?.body ?? new Uint8Array()))).toEqual([
      'persist me',
      'persist me',
    ])
    await again.stop()
  })
})

describe('bad input', () => {
  it('rejects malformed, empty and oversized payloads with typed errors and a metric', async () => {
    const { sync, components } = await started({ maxPayloadBytes: 64 })
    const reasons: string[] = []
    sync.addEventListener('payload:rejected', (e) => reasons.push(e.detail.reason))
    await expect(sync.receive('bob', Uint8Array.of(0xca, 0x38, 0x05))).rejects.toBeInstanceOf(DecodeError)
    await expect(sync.receive('bob', new Uint8Array(0))).rejects.toBeInstanceOf(DecodeError)
    await expect(sync.receive('bob', new Uint8Array(65))).rejects.toBeInstanceOf(LimitExceededError)
    expect(reasons).toEqual(['malformed', 'empty', 'too-large'])
    expect(components.recorded.get('parley_mvds_rejected_total{reason="malformed"}')).toBe(1)
    await sync.stop()
  })

  it('refuses requests for unknown ids with NotFoundError and a metric, and keeps the rest', async () => {
    const { sync, components } = await started()
    const mine = await sync.send(GROUP, utf8('x'))
    const unknown = new Uint8Array(32).fill(9)
    const result = await sync.receive('bob', encodePayload({ ...emptyPayload(), requests: [unknown, mine] }))
    expect(result.rejected.map((r) => r.reason)).toEqual(['unknown-request'])
    expect(result.rejected[0]?.error).toBeInstanceOf(NotFoundError)
    expect(components.recorded.get('parley_mvds_rejected_total{reason="unknown-request"}')).toBe(1)
    await sync.stop()
  })

  it('never throws anything but DecodeError or LimitExceededError on random bytes', async () => {
    const { sync } = await started()
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 300 }), async (bytes) => {
        try {
          await sync.receive('bob', bytes)
        } catch (error) {
          expect(error instanceof DecodeError || error instanceof LimitExceededError).toBe(true)
        }
      }),
      { numRuns: 200 },
    )
    await sync.stop()
  })
})

describe('store failures', () => {
  it('rejects the operation, keeps running, and writes the changes with the next save', async () => {
    const { sync, store, clock, sent } = await started()
    const commit = store.batch.bind(store)
    let failing = true
    store.batch = () => {
      const batch = commit()
      const original = batch.commit.bind(batch)
      batch.commit = async (options) => {
        if (failing) throw new Error('disk full')
        return original(options)
      }
      return batch
    }
    await expect(sync.send(GROUP, utf8('kept in memory'))).rejects.toThrow('disk full')
    failing = false
    await clock.advance(300)
    expect(sent).toHaveLength(1)
    await sync.stop()
    const again = createService({ clock }, store).sync
    await again.start()
    const [record] = again.node?.state.all() ?? []
    expect(record?.sendCount).toBe(1)
    // The message itself was only in the failed batch: the retry wrote it.
    expect(again.node?.hasMessage(record?.messageId ?? new Uint8Array())).toBe(true)
    await again.stop()
  })
})
