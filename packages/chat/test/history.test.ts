import { createNode, type ParleyNode } from '@parley/core'
import { bytesToHex, generatePrivateKey, loadCrypto } from '@parley/crypto'
import { devp2pHost, libp2pHost, messageArchive } from '@parley/interfaces'
import { mailserver, mailserverClient } from '@parley/mailserver'
import { waku1 } from '@parley/protocol-waku1'
import { wakuRelay } from '@parley/protocol-waku2-relay'
import { wakuStore } from '@parley/protocol-waku2-store'
import { memoryStore } from '@parley/store-memory'
import { devp2p } from '@parley/transport-devp2p'
import { libp2p } from '@parley/transport-libp2p'
import { afterEach, describe, expect, it } from 'vitest'
import { contentTopic, partitionedTopicName, publicChatTopic, topicFromName } from '../src/index.ts'
import { link, type Peer, startPeer, stopAll, until } from './messenger-fixtures.ts'

const TTL = 3
const unixNow = () => Math.floor(Date.now() / 1000)
const peers: Peer[] = []
const nodes: ParleyNode[] = []
afterEach(async () => {
  await stopAll(peers.splice(0))
  await Promise.allSettled(nodes.splice(0).map((node) => node.stop()))
})

async function mailserverNode(): Promise<ParleyNode> {
  const node = createNode({
    name: 'mailserver',
    logger: { level: 'error' },
    transports: [devp2p({ port: 0, clientId: 'mailserver' })],
    protocols: [waku1({ minPow: 0.002 })],
    store: memoryStore(),
    services: { mailserver: mailserver() },
  })
  await node.start()
  nodes.push(node)
  return node
}

/** Links a messenger node to a bare node (the mailserver) over devp2p/waku1. */
async function linkTo(peer: Peer, node: ParleyNode): Promise<void> {
  await link(peer, { node, flavour: 'waku1' } as Peer)
}

async function storeNode(): Promise<ParleyNode> {
  const node = createNode({
    name: 'store',
    logger: { level: 'error' },
    transports: [libp2p({ listen: ['/ip4/127.0.0.1/tcp/0'] })],
    protocols: [wakuRelay({ gossipsub: { heartbeatInterval: 100 } }), wakuStore()],
    store: memoryStore(),
  })
  await node.start()
  nodes.push(node)
  return node
}

async function offlineKey(): Promise<{ key: Uint8Array; publicKey: string; topic: Uint8Array }> {
  const key = generatePrivateKey()
  const publicKey = (await loadCrypto()).secp256k1.getPublicKey(key, false)
  // Where Alice writes to Bob until he has answered.
  const topic = topicFromName(partitionedTopicName(publicKey))
  return { key, publicKey: `0x${bytesToHex(publicKey)}`, topic }
}

/**
 * Waits until `node`'s archive holds a message on each of `topics`: the public and the direct
 * message were relayed to and archived by it, however long a loaded machine takes.
 */
async function untilArchived(node: ParleyNode, topics: readonly string[]): Promise<void> {
  const archive = node.get(messageArchive)
  const holds = async (topic: string) => (await archive.count({ topics: [topic] })) > 0
  await until(async () => (await Promise.all(topics.map(holds))).every(Boolean), 'archived by the server')
}

describe('history through the Waku v2 store', () => {
  it('a member offline when a public and a one-to-one message were sent gets both from the store node', async () => {
    const server = await storeNode()
    const alice = await startPeer('alice', 'waku2')
    peers.push(alice)
    await link(alice, { node: server, flavour: 'waku2' } as Peer)
    await alice.messenger.joinPublic('history-test')
    const bob = await offlineKey()
    const publicSent = await alice.messenger.sendText('history-test', 'you missed this')
    await alice.messenger.startOneToOne(bob.publicKey)
    const directSent = await alice.messenger.sendText(bob.publicKey, 'and this')
    await untilArchived(server, [contentTopic(publicChatTopic('history-test')), contentTopic(bob.topic)])

    const storePeer = server.get(libp2pHost).multiaddrs()[0] ?? ''
    const bobPeer = await startPeer('bob', 'waku2', {
      identityKey: bob.key,
      messengerOptions: { autoFetchHistory: false, storePeer },
      services: { store: wakuStore({ serve: false }) },
    })
    peers.push(bobPeer)
    await bobPeer.messenger.joinPublic('history-test')
    const count = await bobPeer.messenger.fetchHistory()
    expect(count).toBeGreaterThanOrEqual(2)
    await until(() => bobPeer.received.length === 2, 'both messages')
    expect(new Set(bobPeer.received.map((m) => m.id))).toEqual(new Set([publicSent.id, directSent.id]))
    await bobPeer.messenger.fetchHistory({ from: unixNow() - 3600 })
    expect(bobPeer.received).toHaveLength(2)
  })
})

describe('history through the mailserver client', () => {
  it('a member offline when a public and a one-to-one message were sent gets both from the mailserver', async () => {
    const server = await mailserverNode()
    // Short-lived envelopes: gone from every pool by the time Bob connects, kept by the mailserver.
    // Not 1 s: one reaching the mailserver a second late on a loaded machine would be refused as expired.
    const alice = await startPeer('alice', 'waku1', { messengerOptions: { ttl: TTL } })
    peers.push(alice)
    await linkTo(alice, server)
    await alice.messenger.joinPublic('history-test')

    // Bob has not started yet: he only exists as a key Alice knows.
    const enode = server.get(devp2pHost).enode ?? ''
    const bobOptions = {
      messengerOptions: { autoFetchHistory: false },
      services: { history: mailserverClient({ mailservers: [enode] }) },
    }
    const { key: bobKey, publicKey: bobPublic, topic: bobTopic } = await offlineKey()
    const publicSent = await alice.messenger.sendText('history-test', 'you missed this')
    await alice.messenger.startOneToOne(bobPublic)
    const directSent = await alice.messenger.sendText(bobPublic, 'and this')
    // Sent at this second or before, so expired (expiry < now, in whole seconds) once it is past
    // `sentBy + TTL`. MVDS resends the direct message with fresh envelopes meanwhile.
    const sentBy = unixNow()
    await untilArchived(server, [bytesToHex(publicChatTopic('history-test')), bytesToHex(bobTopic)])
    while (unixNow() <= sentBy + TTL) await new Promise((resolve) => setTimeout(resolve, 100))

    const bob = await startPeer('bob', 'waku1', { ...bobOptions, identityKey: bobKey })
    peers.push(bob)
    await bob.messenger.joinPublic('history-test')
    await linkTo(bob, server)
    await new Promise((resolve) => setTimeout(resolve, 200))
    // The public message is gone from every pool: only the mailserver has it. (MVDS resends the
    // direct one, so that may also come live.)
    expect(bob.received.filter((m) => m.chatType === 'public')).toEqual([])
    const envelopes = await bob.messenger.fetchHistory()
    expect(envelopes).toBeGreaterThanOrEqual(2)
    await until(() => bob.received.length === 2, 'both messages')
    expect(new Set(bob.received.map((m) => m.id))).toEqual(new Set([publicSent.id, directSent.id]))

    // Fetching again hands nothing twice to the app.
    await bob.messenger.fetchHistory({ from: unixNow() - 3600 })
    await new Promise((resolve) => setTimeout(resolve, 200))
    expect(bob.received).toHaveLength(2)
  })
})
