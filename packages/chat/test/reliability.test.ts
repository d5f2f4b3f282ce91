import { afterEach, describe, expect, it } from 'vitest'
import type { MessengerMessage } from '../src/index.ts'
import {
  type Flavour,
  link,
  linkStats,
  type Peer,
  restart,
  startPeer,
  stopAll,
  until,
} from './messenger-fixtures.ts'

const running: Peer[] = []
afterEach(async () => {
  await stopAll(running.splice(0))
})

function texts(messages: readonly MessengerMessage[]): string[] {
  return messages.map((message) => message.text)
}

describe.each<Flavour>(['waku1', 'waku2'])('over %s with 30 percent of posts lost', (flavour) => {
  it('delivers every one-to-one and group message exactly once, in order, across a restart', async () => {
    const options = { loss: 0.3, ordering: 'consistent' as const }
    let alice = await startPeer('alice', flavour, options)
    let bob = await startPeer('bob', flavour, options)
    const carol = await startPeer('carol', flavour, options)
    running.push(alice, bob, carol)
    await link(alice, bob)
    await link(alice, carol)
    await link(bob, carol)
    const bobKey = bob.messenger.publicKey
    await alice.messenger.startOneToOne(bobKey)
    const group = await alice.messenger.createGroup('lossy', [bobKey, carol.messenger.publicKey])

    const bobGot: MessengerMessage[] = []
    const sentIds: string[] = []
    for (let i = 0; i < 6; i++) sentIds.push((await alice.messenger.sendText(bobKey, `direct ${i}`)).id)
    for (let i = 0; i < 3; i++) await alice.messenger.sendText(group.id, `group ${i}`)
    await until(() => bob.received.length >= 2, 'bob gets something before the restart', 15_000)

    // Bob's process dies mid-way; Alice keeps writing while he is gone.
    bobGot.push(...bob.received)
    const before = bob
    bob = await restart(bob, options)
    running.splice(running.indexOf(before), 1, bob)
    for (let i = 6; i < 10; i++) sentIds.push((await alice.messenger.sendText(bobKey, `direct ${i}`)).id)
    for (let i = 3; i < 5; i++) await alice.messenger.sendText(group.id, `group ${i}`)
    // ... and then Alice's does, with those messages unacknowledged.
    const aliceDelivered = [...alice.delivered]
    const oldAlice = alice
    alice = await restart(alice, options)
    running.splice(running.indexOf(oldAlice), 1, alice)
    await link(alice, bob)
    await link(alice, carol)
    await link(bob, carol)
    await bob.messenger.sendText(alice.messenger.publicKey, 'back')

    const direct = () => [...bobGot, ...bob.received].filter((m) => m.chatType === 'one-to-one')
    const grouped = () => [...bobGot, ...bob.received].filter((m) => m.chatType === 'group')
    await until(
      () => direct().length >= 10 && grouped().length >= 5 && carol.received.length >= 5,
      'every message arrives',
      25_000,
    )
    await until(() => alice.received.length >= 1, 'alice hears bob after his restart', 10_000)
    await until(
      () => sentIds.every((id) => [...aliceDelivered, ...alice.delivered].some((d) => d.messageId === id)),
      'a receipt for every direct message',
      25_000,
    )
    await new Promise((resolve) => setTimeout(resolve, 300)) // room for duplicates to show up

    expect(texts(direct())).toEqual(Array.from({ length: 10 }, (_, i) => `direct ${i}`))
    expect(texts(grouped())).toEqual(Array.from({ length: 5 }, (_, i) => `group ${i}`))
    expect(texts(carol.received)).toEqual(Array.from({ length: 5 }, (_, i) => `group ${i}`))
    expect(texts(alice.received)).toEqual(['back'])
    expect(bob.messenger.chat(group.id)?.members).toHaveLength(3) // the group survived the restart
    expect(alice.messenger.chat(group.id)?.members).toHaveLength(3)
    // The links really lost posts, as many as configured: 3 of every 10, so a link's unfinished last
    // block leaves it at most 2.1 posts off 30 % of what it carried.
    const { dropped, passed, links } = linkStats(flavour)
    expect(dropped).toBeGreaterThan(0)
    expect(Math.abs(dropped - options.loss * (dropped + passed))).toBeLessThanOrEqual(links * 2.1 + 1e-9)
  }, 60_000)
})
