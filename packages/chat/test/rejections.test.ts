import { loadCrypto, utf8ToBytes } from '@parley/crypto'
import { seal } from '@parley/envelope'
import { dataSync, privacyProtocol, secureTransport } from '@parley/interfaces'
import { afterEach, describe, expect, it } from 'vitest'
import {
  ApplicationMessageType,
  ContentType,
  encodeChatMessage,
  encodeMembershipUpdate,
  MembershipEventType,
  MessageType,
  publicChatTopic,
  signMembershipEvent,
  symmetricKeyFromPassword,
  topicToString,
  wrapMessage,
} from '../src/index.ts'
import { oneToOneGroupId } from '../src/messenger/group-id.ts'
import { link, type Peer, startPeer, stopAll, until } from './messenger-fixtures.ts'

const running: Peer[] = []
afterEach(async () => {
  await stopAll(running.splice(0))
})

const { secp256k1: secp } = await loadCrypto()

function chatMessage(chatId: string, messageType: number, text = 'forged') {
  return encodeChatMessage({
    clock: 1n,
    timestamp: BigInt(Date.now()),
    text,
    responseTo: '',
    ensName: '',
    chatId,
    messageType,
    contentType: ContentType.TEXT_PLAIN,
  })
}

describe('messenger refusals', () => {
  it('refuses forged, unsigned, undecryptable and misaddressed input with a reason and a metric, and carries on', async () => {
    const alice = await startPeer('alice', 'waku1')
    const bob = await startPeer('bob', 'waku1')
    const mallory = await startPeer('mallory', 'waku1')
    running.push(alice, bob, mallory)
    await link(alice, bob)
    await link(mallory, bob)
    await bob.messenger.joinPublic('town')
    const group = await alice.messenger.createGroup('pair', [bob.messenger.publicKey])
    await until(() => bob.messenger.chat(group.id) !== undefined, 'bob learns the group')

    // Raw posts on the public chat's topic, from Mallory's node.
    const post = mallory.node.get(privacyProtocol)
    const topic = topicToString(publicChatTopic('town'))
    const symKey = await symmetricKeyFromPassword('town')
    const sealed = (payload: Uint8Array, sigKey?: Uint8Array, key = symKey) =>
      seal({ payload, symKey: key, ...(sigKey === undefined ? {} : { sigKey }) }, { secp256k1: secp })
    const publicWrapped = (bytes: Uint8Array) => mallory.node.get(secureTransport).encryptPublic(bytes)
    const send = (payload: Uint8Array) => post.post({ topic, payload, ttl: 30, pow: 0.002 })

    const good = wrapMessage(chatMessage('town', MessageType.PUBLIC_GROUP), 1, mallory.identityKey, secp)
    await send(sealed(await publicWrapped(good))) // unsigned
    await send(
      sealed(await publicWrapped(good), mallory.identityKey, await symmetricKeyFromPassword('other')),
    )
    await send(sealed(utf8ToBytes('not a protocol message'), mallory.identityKey)) // secure transport refuses
    const badSignature = Uint8Array.from(good)
    badSignature[66] = 7 // tag, length 65, then r || s || v: the recovery id becomes 7
    await send(sealed(await publicWrapped(badSignature), mallory.identityKey))
    const elsewhere = wrapMessage(
      chatMessage('other', MessageType.PUBLIC_GROUP),
      1,
      mallory.identityKey,
      secp,
    )
    await send(sealed(await publicWrapped(elsewhere), mallory.identityKey))
    const impersonation = wrapMessage(
      chatMessage('town', MessageType.PUBLIC_GROUP),
      1,
      alice.identityKey,
      secp,
    )
    await send(sealed(await publicWrapped(impersonation), mallory.identityKey))

    // Through Mallory's own MVDS and secure transport to Bob: a one-to-one channel she really has.
    await mallory.messenger.startOneToOne(bob.messenger.publicKey)
    const pair = oneToOneGroupId(secp, mallory.messenger.publicKeyBytes, bob.messenger.publicKeyBytes)
    const sync = mallory.node.get(dataSync)
    const forgedId = `${crypto.randomUUID()}-${alice.messenger.publicKey}`
    const forgedEvents = [
      signMembershipEvent(
        forgedId,
        { clock: 1n, type: MembershipEventType.CHAT_CREATED, members: [], name: 'fake' },
        mallory.identityKey,
        secp,
      ),
    ]
    const forgedGroup = encodeMembershipUpdate({ chatId: forgedId, events: forgedEvents })
    await sync.send(
      pair,
      wrapMessage(forgedGroup, ApplicationMessageType.MEMBERSHIP_UPDATE_MESSAGE, mallory.identityKey, secp),
    )
    const [aliceGroup] = (await alice.messenger.state.loadChats()).filter((chat) => chat.id === group.id)
    const intrusion = encodeMembershipUpdate({
      chatId: group.id,
      events: aliceGroup?.events ?? [],
      message: {
        clock: 5n,
        timestamp: 5n,
        text: 'let me in',
        responseTo: '',
        ensName: '',
        chatId: group.id,
        messageType: MessageType.PRIVATE_GROUP,
        contentType: ContentType.TEXT_PLAIN,
      },
    })
    await sync.send(
      pair,
      wrapMessage(intrusion, ApplicationMessageType.MEMBERSHIP_UPDATE_MESSAGE, mallory.identityKey, secp),
    )
    const asAlice = wrapMessage(
      chatMessage(bob.messenger.publicKey, MessageType.ONE_TO_ONE),
      1,
      alice.identityKey,
      secp,
    )
    await sync.send(pair, asAlice)

    const expected = [
      'unsigned',
      'undecryptable',
      'secure-transport',
      'signature',
      'wrong-chat',
      'signer-mismatch',
      'membership',
      'not-a-member',
    ]
    await until(
      () => expected.every((reason) => bob.rejected.some((r) => r.reason === reason)),
      'every refusal',
    )
    for (const rejection of bob.rejected) expect(rejection.error).toHaveProperty('code')
    expect(bob.rejected.find((r) => r.reason === 'membership')?.error.name).toBe('VerificationError')
    expect(bob.received).toEqual([])
    expect(bob.messenger.chat(forgedId)).toBeUndefined()

    const metrics = await bob.node.metrics.expose()
    for (const reason of expected) {
      expect(metrics).toMatch(new RegExp(`parley_messenger_rejected_total\\{reason="${reason}"\\} [1-9]`))
    }

    // Still working: a genuine message arrives after all of that.
    await mallory.messenger.joinPublic('town')
    await mallory.messenger.sendText('town', 'honest now')
    await until(() => bob.received.length === 1, 'the honest message')
    expect(bob.received[0]).toMatchObject({ text: 'honest now', from: mallory.messenger.publicKey })
  })

  it('refuses calls that can never succeed with typed errors', async () => {
    const alice = await startPeer('alice', 'waku1')
    running.push(alice)
    await expect(alice.messenger.sendText('nowhere', 'hi')).rejects.toMatchObject({ code: 'ERR_NOT_FOUND' })
    await expect(alice.messenger.joinPublic('')).rejects.toMatchObject({ code: 'ERR_INVALID_PARAMETERS' })
    await expect(alice.messenger.startOneToOne('0x1234')).rejects.toMatchObject({
      code: 'ERR_INVALID_PARAMETERS',
    })
    await expect(alice.messenger.startOneToOne(alice.messenger.publicKey)).rejects.toMatchObject({
      code: 'ERR_INVALID_PARAMETERS',
    })
    await expect(alice.messenger.createGroup('alone', [])).rejects.toMatchObject({
      code: 'ERR_INVALID_PARAMETERS',
    })
    await alice.messenger.joinPublic('quiet')
    await expect(alice.messenger.sendText('quiet', '')).rejects.toMatchObject({
      code: 'ERR_INVALID_PARAMETERS',
    })
  })
})
