import { generatePrivateKey, loadCrypto } from '@parley/crypto'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  decodeMembershipUpdate,
  encodeMembershipUpdate,
  foldMembership,
  MembershipEventType,
  openMembershipEvent,
  signMembershipEvent,
} from '../src/index.ts'
import { keyHex } from '../src/messenger/membership.ts'

const { secp256k1: secp } = await loadCrypto()
const admin = generatePrivateKey()
const member = generatePrivateKey()
const outsider = generatePrivateKey()
const hex = (key: Uint8Array) => keyHex(secp.getPublicKey(key, false))
const chatId = `0c6bd3cc-a8a4-4b84-a4e0-1b5a6c8f1a11-${hex(admin)}`

function event(signer: Uint8Array, type: number, clock: bigint, members: string[] = [], name = '') {
  return signMembershipEvent(chatId, { clock, type, members, name }, signer, secp)
}

const created = event(admin, MembershipEventType.CHAT_CREATED, 1n, [], 'team')
const added = event(admin, MembershipEventType.MEMBERS_ADDED, 2n, [hex(member)])

describe('membership updates', () => {
  it('signs over keccak256(chat id || event) and recovers the signer', () => {
    const opened = openMembershipEvent(chatId, added, secp)
    expect(opened).toMatchObject({
      type: MembershipEventType.MEMBERS_ADDED,
      clock: 2n,
      members: [hex(member)],
    })
    expect(opened.from).toBe(hex(admin))
    // the same bytes under another chat id recover some other key
    expect(openMembershipEvent(`${chatId}x`, added, secp).from).not.toBe(hex(admin))
  })

  it('folds events in clock order, whatever order they arrive in, ignoring repeats', () => {
    const renamed = event(admin, MembershipEventType.NAME_CHANGED, 3n, [], 'renamed')
    const state = foldMembership(chatId, [renamed, added, created, added], secp)
    expect(state).toEqual({
      id: chatId,
      name: 'renamed',
      members: [hex(admin), hex(member)],
      admins: [hex(admin)],
      creator: hex(admin),
    })
  })

  it('lets a member leave, but not add others or rename', () => {
    const leaves = event(member, MembershipEventType.MEMBER_REMOVED, 3n, [hex(member)])
    expect(foldMembership(chatId, [created, added, leaves], secp).members).toEqual([hex(admin)])
    const intrudes = event(member, MembershipEventType.MEMBERS_ADDED, 3n, [hex(outsider)])
    expect(() => foldMembership(chatId, [created, added, intrudes], secp)).toThrow(
      expect.objectContaining({ code: 'ERR_VERIFICATION' }),
    )
  })

  it('refuses a group created by a key other than the one its id names, or never created', () => {
    const forged = signMembershipEvent(
      chatId,
      { clock: 1n, type: MembershipEventType.CHAT_CREATED, members: [], name: 'x' },
      outsider,
      secp,
    )
    expect(() => foldMembership(chatId, [forged], secp)).toThrow(
      expect.objectContaining({ name: 'VerificationError' }),
    )
    expect(() => foldMembership(chatId, [added], secp)).toThrow(
      expect.objectContaining({ name: 'VerificationError' }),
    )
    expect(() => foldMembership(chatId, [], secp)).toThrow(
      expect.objectContaining({ name: 'VerificationError' }),
    )
  })

  it('round-trips a MembershipUpdateMessage with its chat message', () => {
    const message = {
      clock: 9n,
      timestamp: 10n,
      text: 'hi',
      responseTo: '',
      ensName: '',
      chatId,
      messageType: 3,
      contentType: 1,
    }
    const decoded = decodeMembershipUpdate(
      encodeMembershipUpdate({ chatId, events: [created, added], message }),
    )
    expect(decoded.chatId).toBe(chatId)
    expect(decoded.events).toEqual([created, added])
    expect(decoded.message).toEqual(message)
  })

  it('only ever throws typed errors on garbage', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        for (const attempt of [
          () => decodeMembershipUpdate(bytes),
          () => openMembershipEvent(chatId, bytes, secp),
          () => foldMembership(chatId, [bytes], secp),
        ]) {
          try {
            attempt()
          } catch (error) {
            expect(['DecodeError', 'VerificationError']).toContain((error as Error).name)
          }
        }
      }),
      { numRuns: 300 },
    )
  })
})
