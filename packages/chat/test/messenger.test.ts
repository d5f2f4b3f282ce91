import { afterEach, describe, expect, it } from 'vitest'
import { type Flavour, link, type Peer, startPeer, stopAll, until } from './messenger-fixtures.ts'

const peers: Peer[] = []
async function peer(name: string, flavour: Flavour): Promise<Peer> {
  const started = await startPeer(name, flavour)
  peers.push(started)
  return started
}

afterEach(async () => {
  await stopAll(peers.splice(0))
})

describe.each<Flavour>(['waku1', 'waku2'])('messenger over %s', (flavour) => {
  it('carries a public chat both ways, signed by each author', async () => {
    const alice = await peer('alice', flavour)
    const bob = await peer('bob', flavour)
    await link(alice, bob)
    await alice.messenger.joinPublic('parley-test')
    await bob.messenger.joinPublic('parley-test')

    const sent = await alice.messenger.sendText('parley-test', 'hello everyone')
    await until(() => bob.received.length === 1, 'bob hears alice')
    expect(bob.received[0]).toMatchObject({
      id: sent.id,
      chatId: 'parley-test',
      chatType: 'public',
      from: alice.messenger.publicKey,
      text: 'hello everyone',
      clock: sent.clock,
    })

    await bob.messenger.sendText('parley-test', 'hi alice')
    await until(() => alice.received.length === 1, 'alice hears bob')
    expect(alice.received[0]?.from).toBe(bob.messenger.publicKey)
    // Lamport: bob's clock is past the one he saw
    expect(alice.received[0]?.clock).toBeGreaterThan(sent.clock)
    expect(alice.received).toHaveLength(1) // her own message is not handed back
  })

  it('carries one-to-one messages both ways, with delivery receipts, over the negotiated topic once agreed', async () => {
    const alice = await peer('alice', flavour)
    const bob = await peer('bob', flavour)
    await link(alice, bob)
    const chat = await alice.messenger.startOneToOne(bob.messenger.publicKey)
    expect(chat).toMatchObject({ id: bob.messenger.publicKey, type: 'one-to-one' })

    const first = await alice.messenger.sendText(chat.id, 'hello bob')
    await until(() => bob.received.length === 1, 'bob gets the first message')
    expect(bob.received[0]).toMatchObject({
      id: first.id,
      chatId: alice.messenger.publicKey,
      chatType: 'one-to-one',
      text: 'hello bob',
    })
    expect(bob.messenger.chat(alice.messenger.publicKey)?.type).toBe('one-to-one')
    // the chat appeared for Bob once; messages move its clock without announcing it again
    expect(bob.updated.map((chat) => chat.id)).toEqual([alice.messenger.publicKey])
    expect(alice.updated.map((chat) => chat.id)).toEqual([bob.messenger.publicKey])
    await until(() => alice.delivered.some((d) => d.messageId === first.id), 'alice gets the receipt')
    expect(alice.delivered[0]).toEqual({
      messageId: first.id,
      chatId: chat.id,
      peer: bob.messenger.publicKey,
    })

    const reply = await bob.messenger.sendText(alice.messenger.publicKey, 'hi alice')
    await until(() => alice.received.length === 1, 'alice gets the reply')
    expect(alice.received[0]?.text).toBe('hi alice')
    await until(() => bob.delivered.some((d) => d.messageId === reply.id), 'bob gets the receipt')
    // both have heard from the other: both now send on the negotiated topic
    expect(await alice.messenger.state.isAgreed(bob.messenger.publicKey)).toBe(true)
    expect(await bob.messenger.state.isAgreed(alice.messenger.publicKey)).toBe(true)

    const third = await alice.messenger.sendText(chat.id, 'on the negotiated topic')
    await until(() => bob.received.length === 2, 'bob gets the third message')
    expect(bob.received[1]?.id).toBe(third.id)
    expect([...alice.rejected, ...bob.rejected]).toEqual([])
    const metrics = await alice.node.metrics.expose()
    expect(metrics).toMatch(/parley_messenger_payloads_sent_total\{route="partitioned"\} [1-9]/)
    expect(metrics).toMatch(/parley_messenger_payloads_sent_total\{route="negotiated"\} [1-9]/)
  })

  it('runs a three-member private group: signed membership, every message to every member once', async () => {
    const alice = await peer('alice', flavour)
    const bob = await peer('bob', flavour)
    const carol = await peer('carol', flavour)
    await link(alice, bob)
    await link(alice, carol)
    await link(bob, carol)

    const group = await alice.messenger.createGroup('friends', [
      bob.messenger.publicKey,
      carol.messenger.publicKey,
    ])
    expect(group.members).toHaveLength(3)
    expect(group.admins).toEqual([alice.messenger.publicKey])
    await until(
      () => bob.messenger.chat(group.id) !== undefined && carol.messenger.chat(group.id) !== undefined,
      'bob and carol learn the group',
    )
    expect(bob.messenger.chat(group.id)).toMatchObject({
      name: 'friends',
      type: 'group',
      members: group.members,
    })

    const hello = await alice.messenger.sendText(group.id, 'welcome')
    await until(() => bob.received.length === 1 && carol.received.length === 1, 'members get the message')
    expect(carol.received[0]).toMatchObject({
      id: hello.id,
      chatId: group.id,
      chatType: 'group',
      text: 'welcome',
    })
    await until(() => alice.delivered.filter((d) => d.messageId === hello.id).length === 2, 'two receipts')

    await bob.messenger.sendText(group.id, 'thanks')
    await until(() => alice.received.length === 1 && carol.received.length === 2, 'bob reaches both')
    expect(carol.received[1]).toMatchObject({ from: bob.messenger.publicKey, text: 'thanks' })
    await new Promise((resolve) => setTimeout(resolve, 200))
    expect(alice.received).toHaveLength(1)
    expect(carol.received).toHaveLength(2)
  })
})

describe('group membership changes', () => {
  it('adds a member later and lets a member leave; every view follows the signed events', async () => {
    const alice = await peer('alice', 'waku1')
    const bob = await peer('bob', 'waku1')
    const carol = await peer('carol', 'waku1')
    await link(alice, bob)
    await link(alice, carol)
    const [a, b, c] = [alice, bob, carol].map((p) => p.messenger.publicKey)
    const group = await alice.messenger.createGroup('growing', [b ?? ''])
    await until(() => bob.messenger.chat(group.id) !== undefined, 'bob learns the group')

    await expect(bob.messenger.addGroupMembers(group.id, [c ?? ''])).rejects.toMatchObject({
      code: 'ERR_INVALID_PARAMETERS',
    })
    await alice.messenger.addGroupMembers(group.id, [c ?? ''])
    await until(() => carol.messenger.chat(group.id)?.members.length === 3, 'carol learns the group')
    await until(() => bob.messenger.chat(group.id)?.members.length === 3, 'bob learns carol joined')

    await bob.messenger.leaveChat(group.id)
    expect(bob.messenger.chat(group.id)).toBeUndefined()
    await until(() => alice.messenger.chat(group.id)?.members.length === 2, 'alice sees bob leave')
    await until(() => carol.messenger.chat(group.id)?.members.length === 2, 'carol sees bob leave')
    expect(carol.messenger.chat(group.id)?.members).toEqual([a, c])

    await alice.messenger.sendText(group.id, 'just us')
    await until(() => carol.received.length === 1, 'carol gets it')
    await new Promise((resolve) => setTimeout(resolve, 200))
    expect(bob.received).toEqual([])
    await expect(bob.messenger.sendText(group.id, 'let me back')).rejects.toMatchObject({
      code: 'ERR_NOT_FOUND',
    })
  })
})
