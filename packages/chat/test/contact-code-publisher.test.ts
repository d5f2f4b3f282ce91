import { fakeComponents, handlesLeftOpenBy } from '@parley/compliance-tests'
import { generatePrivateKey, loadCrypto } from '@parley/crypto'
import { NotStartedError, TypedEventEmitter } from '@parley/interfaces'
import { MemoryKeyValueStore } from '@parley/store-memory'
import { afterEach, describe, expect, it } from 'vitest'
import {
  ApplicationMessageType,
  type BundleEvents,
  CONTACT_CODE_CHECK_INTERVAL_MS,
  CONTACT_CODE_PUBLISH_INTERVAL_MS,
  contactCodeTopicName,
  decodeContactCodeAdvertisement,
  MessengerState,
  unwrapMessage,
} from '../src/index.ts'
import { ContactCodePublisher } from '../src/messenger/contact-code.ts'
import { until } from './messenger-fixtures.ts'

const { secp256k1 } = await loadCrypto()
const HOUR = 3_600_000
const METRIC = 'parley_messenger_contact_code_publishes_total'

/** A publisher over a fake clock and a recording `postPublic` that fails while `failing` is set. */
function harness(store = new MemoryKeyValueStore(), identityKey = generatePrivateKey()) {
  const components = fakeComponents()
  const posts: { name: string; wrapped: Uint8Array }[] = []
  const bundleEvents = new TypedEventEmitter<BundleEvents>()
  const world = { clock: Date.UTC(2026, 0, 1), reads: 0, failing: false }
  const owner = {
    publicKeyBytes: secp256k1.getPublicKey(identityKey, false),
    secp256k1,
    state: new MessengerState(store),
  }
  const outbound = {
    postPublic: async (name: string, wrapped: Uint8Array) => {
      if (world.failing) throw new NotStartedError('offline')
      posts.push({ name, wrapped })
    },
  }
  const publisher = new ContactCodePublisher(
    owner,
    {
      identityKey,
      logger: components.logger.forComponent('messenger'),
      metrics: components.metrics,
      bundleEvents,
    },
    outbound,
    {
      now: () => {
        world.reads++
        return world.clock
      },
      contactCodeCheckIntervalMs: 5,
    },
  )
  started.push(publisher)
  const count = (trigger: string, outcome: string) =>
    components.recorded.get(`${METRIC}{trigger="${trigger}",outcome="${outcome}"}`) ?? 0
  return { publisher, posts, world, owner, bundleEvents, components, count, store, identityKey }
}

const started: ContactCodePublisher[] = []
afterEach(async () => {
  await Promise.all(started.splice(0).map((publisher) => publisher.stop()))
})

describe('contact-code publisher', () => {
  it("has status-go's defaults: a check every 120 s, a publication every 6 h", () => {
    expect(CONTACT_CODE_CHECK_INTERVAL_MS).toBe(120_000)
    expect(CONTACT_CODE_PUBLISH_INTERVAL_MS).toBe(21_600 * 1000)
  })

  it('publishes at start a signed, empty ContactCodeAdvertisement on our contact-code topic, and records when', async () => {
    const { publisher, posts, world, owner, count } = harness()
    publisher.start()
    await until(() => posts.length === 1, 'the first publication')
    const [post] = posts
    expect(post?.name).toBe(contactCodeTopicName(owner.publicKeyBytes))
    const unwrapped = unwrapMessage(post?.wrapped ?? new Uint8Array(), secp256k1)
    expect(unwrapped.type).toBe(ApplicationMessageType.CONTACT_CODE_ADVERTISEMENT)
    expect(unwrapped.signer).toEqual(owner.publicKeyBytes)
    expect(decodeContactCodeAdvertisement(unwrapped.payload)).toEqual({ pushNotificationInfo: [] })
    await until(async () => (await owner.state.contactCodePublishedAt()) === world.clock, 'the time saved')
    expect(count('schedule', 'published')).toBe(1)
  })

  it('after a restart within 6 h publishes nothing until the 6 h are over', async () => {
    const first = harness()
    first.publisher.start()
    await until(() => first.posts.length === 1, 'the first publication')
    await first.publisher.stop()

    const second = harness(first.store, first.identityKey)
    second.world.clock = first.world.clock + 6 * HOUR - 1
    second.publisher.start()
    await until(() => second.world.reads >= 10, 'ten checks')
    expect(second.posts).toEqual([])
    second.world.clock += 1
    await until(() => second.posts.length === 1, 'the publication 6 h after the last')
    expect(second.count('schedule', 'published')).toBe(1)
    const reads = second.world.reads
    await until(() => second.world.reads >= reads + 10, 'ten more checks')
    expect(second.posts).toHaveLength(1)
  })

  it('publishes at once when the bundle is refreshed, whatever the schedule says', async () => {
    const { publisher, posts, bundleEvents, count } = harness()
    publisher.start()
    await until(() => posts.length === 1, 'the first publication')
    bundleEvents.safeDispatchEvent('bundle:refreshed', new Uint8Array([1]))
    await until(() => posts.length === 2, 'the publication of the new bundle')
    expect(count('bundle', 'published')).toBe(1)
  })

  it('counts and logs a failed publication, never throws it out of the timer, and retries at the next check', async () => {
    const { publisher, posts, world, bundleEvents, components, count } = harness()
    publisher.start()
    await until(() => posts.length === 1, 'the first publication')
    world.failing = true
    bundleEvents.safeDispatchEvent('bundle:refreshed', new Uint8Array([1]))
    await until(() => count('bundle', 'failed') === 1, 'the failure counted')
    expect(components.logs.some((line) => line.includes('warn contact code not published (bundle)'))).toBe(
      true,
    )
    await until(() => count('schedule', 'failed') >= 1, 'a check retrying')
    world.failing = false
    // the last success is recent, yet the failed one is owed
    await until(() => posts.length === 2, 'the retried publication')
    expect(count('schedule', 'published')).toBe(2)
  })

  it('rejects a requested publication that fails, with the typed error', async () => {
    const { publisher, world, count } = harness()
    world.failing = true
    await expect(publisher.publish('request')).rejects.toBeInstanceOf(NotStartedError)
    expect(count('request', 'failed')).toBe(1)
  })

  it('stop clears its timer', async () => {
    const { publisher, posts } = harness()
    const leftOpen = await handlesLeftOpenBy(async () => {
      publisher.start()
      await until(() => posts.length === 1, 'the first publication')
      await publisher.stop()
    })
    expect(leftOpen).toEqual([])
  })

  it('refuses intervals that are not positive integers, and check intervals a timer cannot hold', () => {
    const components = fakeComponents()
    const owner = {
      publicKeyBytes: new Uint8Array(65),
      secp256k1,
      state: new MessengerState(new MemoryKeyValueStore()),
    }
    const parts = {
      identityKey: generatePrivateKey(),
      logger: components.logger.forComponent('m'),
      metrics: components.metrics,
    }
    const outbound = { postPublic: async () => {} }
    expect(
      () => new ContactCodePublisher(owner, parts, outbound, { contactCodeCheckIntervalMs: 2 ** 31 }),
    ).toThrow(/contactCodeCheckIntervalMs/)
    for (const bad of [0, -1, 1.5, Number.NaN]) {
      expect(
        () => new ContactCodePublisher(owner, parts, outbound, { contactCodeCheckIntervalMs: bad }),
      ).toThrow(/contactCodeCheckIntervalMs/)
      expect(
        () => new ContactCodePublisher(owner, parts, outbound, { contactCodePublishIntervalMs: bad }),
      ).toThrow(/contactCodePublishIntervalMs/)
    }
  })
})
