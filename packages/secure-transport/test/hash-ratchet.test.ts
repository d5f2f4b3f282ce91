import { concatBytes, generatePrivateKey, keccak256 } from '@parley/crypto'
import { DecodeError, LimitExceededError, VerificationError } from '@parley/interfaces'
import {
  decodeProtocolMessage,
  type EncryptedMessage,
  encodeProtocolMessage,
  type GroupKey,
  hashRatchetKeyId,
  hashRatchetStep,
  NO_INSTALLATION_ID,
  sealSymmetric,
  UnknownGroupKeyError,
} from '@parley/secure-transport'
import { afterEach, describe, expect, it } from 'vitest'
import { type Device, device, read, rejected, restart, text } from './helpers.ts'

const started: Device[] = []
afterEach(async () => {
  for (const d of started.splice(0)) await d.transport.stop()
})

async function members(count: number): Promise<{ devices: Device[]; key: GroupKey; keyId: Uint8Array }> {
  const key: GroupKey = {
    groupId: Uint8Array.of(2, 9, 9),
    timestamp: 1_700_000_000_123n,
    key: generatePrivateKey(),
  }
  const devices: Device[] = []
  let keyId: Uint8Array = new Uint8Array()
  for (let i = 0; i < count; i++) {
    const member = await device()
    started.push(member)
    keyId = await member.transport.addGroupKey(key)
    devices.push(member)
  }
  return { devices, key, keyId }
}

function entry(message: Uint8Array): EncryptedMessage {
  const found = decodeProtocolMessage(message).encryptedMessage.get(NO_INSTALLATION_ID)
  if (found === undefined) throw new Error('no "none" entry')
  return found
}

describe('hash ratchet primitives', () => {
  it('key id is keccak256(group id || uint64_le(timestamp ms) || key)', () => {
    const key = new Uint8Array(32).fill(5)
    const time = Uint8Array.of(0x01, 0x02, 0, 0, 0, 0, 0, 0)
    expect(hashRatchetKeyId(Uint8Array.of(0xaa), 0x0201n, key)).toEqual(
      keccak256(concatBytes(Uint8Array.of(0xaa), time, key)),
    )
  })

  it('message n is keyed by keccak256 applied n times', () => {
    const key = new Uint8Array(32).fill(1)
    expect(hashRatchetStep(key, 0)).toEqual(key)
    expect(hashRatchetStep(key, 2)).toEqual(keccak256(keccak256(key)))
  })
})

describe('StatusSecureTransport hash ratchet', () => {
  it('members read each other, numbers continue from the highest seen, in any order', async () => {
    const { devices, key, keyId } = await members(2)
    const [alice, bob] = devices
    if (alice === undefined || bob === undefined) throw new Error('unreachable')
    const first = await alice.transport.encryptGroup(keyId, text('one'))
    const header = entry(first).hr
    expect(header).toEqual({
      deprecatedKeyId: Number(key.timestamp & 0xffff_ffffn),
      seqNo: 1,
      groupId: key.groupId,
      keyId,
    })
    // The payload is EncryptSymmetric under keccak256(key).
    const got = await bob.transport.decrypt(alice.transport.identity, first)
    expect([read(got.plaintext), got.kind, got.group?.seqNo]).toEqual(['one', 'hash-ratchet', 1])
    const reply = await bob.transport.encryptGroup(keyId, text('two'))
    expect(entry(reply).hr?.seqNo).toBe(2)
    const m3 = await bob.transport.encryptGroup(keyId, text('three'))
    expect(read((await alice.transport.decrypt(bob.transport.identity, m3)).plaintext)).toBe('three')
    expect(read((await alice.transport.decrypt(bob.transport.identity, reply)).plaintext)).toBe('two')
    expect(entry(await alice.transport.encryptGroup(keyId, text('four'))).hr?.seqNo).toBe(4)
  })

  it('reads a message a status-go sender would build by hand, and a key-exchange (seq 0) payload as it is', async () => {
    const { devices, key, keyId } = await members(1)
    const [bob] = devices
    if (bob === undefined) throw new Error('unreachable')
    const build = (seqNo: number, payload: Uint8Array) =>
      encodeProtocolMessage({
        installationId: 'sender',
        bundles: [],
        encryptedMessage: new Map([
          [NO_INSTALLATION_ID, { hr: { deprecatedKeyId: 0, seqNo, groupId: key.groupId, keyId }, payload }],
        ]),
      })
    const sender = bob.transport.identity
    const fifth = build(5, sealSymmetric(hashRatchetStep(key.key, 5), text('five')))
    expect(read((await bob.transport.decrypt(sender, fifth)).plaintext)).toBe('five')
    expect(read((await bob.transport.decrypt(sender, build(0, text('keys only')))).plaintext)).toBe(
      'keys only',
    )
    // Like status-go, the hash ratchet itself does not detect replays (the messenger deduplicates).
    expect(read((await bob.transport.decrypt(sender, fifth)).plaintext)).toBe('five')
  })

  it('rejects tampering, unknown keys and a seq no too far ahead, and keeps its state', async () => {
    const { devices, keyId } = await members(2)
    const [alice, bob] = devices
    if (alice === undefined || bob === undefined) throw new Error('unreachable')
    const message = await alice.transport.encryptGroup(keyId, text('x'))
    const decoded = decodeProtocolMessage(message)
    const hr = decoded.encryptedMessage.get(NO_INSTALLATION_ID)
    if (hr?.hr === undefined) throw new Error('unreachable')
    hr.payload[0] = (hr.payload[0] ?? 0) ^ 1
    await expect(
      bob.transport.decrypt(alice.transport.identity, encodeProtocolMessage(decoded)),
    ).rejects.toThrow(VerificationError)
    hr.hr.seqNo = 200_000
    await expect(
      bob.transport.decrypt(alice.transport.identity, encodeProtocolMessage(decoded)),
    ).rejects.toThrow(LimitExceededError)
    hr.payload = new Uint8Array(5)
    hr.hr.seqNo = 1
    await expect(
      bob.transport.decrypt(alice.transport.identity, encodeProtocolMessage(decoded)),
    ).rejects.toThrow(DecodeError)
    await expect(bob.transport.encryptGroup(new Uint8Array(32), text('x'))).rejects.toThrow(
      UnknownGroupKeyError,
    )
    expect([
      rejected(bob, 'authentication'),
      rejected(bob, 'too-many-skipped'),
      rejected(bob, 'malformed'),
    ]).toEqual([1, 1, 1])
    expect(read((await bob.transport.decrypt(alice.transport.identity, message)).plaintext)).toBe('x')
  })

  it('keeps group keys and numbers across a restart', async () => {
    const { devices, keyId } = await members(1)
    const [alice] = devices
    if (alice === undefined) throw new Error('unreachable')
    await alice.transport.encryptGroup(keyId, text('a'))
    const again = await restart(alice)
    started.push(again)
    expect(entry(await again.transport.encryptGroup(keyId, text('b'))).hr?.seqNo).toBe(2)
  })
})
