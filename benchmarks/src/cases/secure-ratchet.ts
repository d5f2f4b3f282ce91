/**
 * The secure transport's key agreement and Double Ratchet (issue "secure transport"), each against
 * native/ref_ratchet.c, the same work in C (libsecp256k1 ECDH, OpenSSL HKDF, HMAC and AES-CTR):
 *
 * - `ratchet-encrypt-decrypt-1k`: Alice encrypts 1 KiB, Bob decrypts it, in the same chain;
 * - `ratchet-dh-step`: the same with turns alternating, so every decryption starts with a DH-ratchet
 *   step (2 ECDH, 2 KDF_RK, a fresh key pair) — the ratio target;
 * - `x3dh-session-setup`: an ephemeral key, X3DH on both sides (6 ECDH, 2 keccak256) and both
 *   ratchet sessions (a key pair, 1 ECDH, 1 KDF_RK).
 */
import { generatePrivateKey, type Secp256k1Provider } from '@parley/crypto'
import { VerificationError } from '@parley/interfaces'
import { type RatchetMessage, RatchetSession, x3dhInitiator, x3dhResponder } from '@parley/secure-transport'
import { RATCHET_STEP_TARGET } from '../targets.ts'
import type { BenchCase } from '../types.ts'
import { nodeSecp256k1, providerLabel } from './envelope-inputs.ts'
import { consume, fillPattern } from './inputs.ts'

const PAYLOAD = fillPattern(1024, 73)

export interface SessionPair {
  alice: RatchetSession
  bob: RatchetSession
}

/** A Double Ratchet pair on a fixed shared key, after Alice's first message (as the C side). */
export function ratchetPair(secp: Secp256k1Provider): SessionPair {
  const sharedKey = fillPattern(32, 71)
  const spk = fillPattern(32, 72)
  const alice = RatchetSession.initiator(secp, {
    sharedKey,
    theirSignedPreKey: secp.getPublicKey(spk, true),
  })
  const bob = RatchetSession.responder(secp, {
    sharedKey,
    signedPreKey: { privateKey: spk, publicKey: secp.getPublicKey(spk, true) },
  })
  exchange(alice, bob, 0)
  return { alice, bob }
}

/** `from` encrypts payload `index`, `to` decrypts it; throws if what opens is not what was sent. */
export function exchange(from: RatchetSession, to: RatchetSession, index: number): Uint8Array {
  const plaintext = PAYLOAD.slice()
  plaintext[0] = index & 0xff
  const message: RatchetMessage = from.encrypt(plaintext)
  const opened = to.decrypt(message.header, message.ciphertext)
  if (opened[0] !== plaintext[0] || opened.length !== plaintext.length)
    throw new VerificationError('the ratchet opened something else')
  return opened
}

async function sameChainCase(): Promise<BenchCase> {
  const secp = await nodeSecp256k1()
  let pair: SessionPair | undefined
  return {
    id: 'ratchet-encrypt-decrypt-1k',
    group: 'ratchet',
    unit: 'ops/s',
    provider: providerLabel(secp, '@parley/secure-transport RatchetSession, node:crypto, per CPU-second'),
    reference: 'ratchet-encrypt-decrypt-1k',
    cpuTime: true,
    setup() {
      pair = ratchetPair(secp)
    },
    run(iterations) {
      pair ??= ratchetPair(secp)
      const { alice, bob } = pair
      for (let i = 0; i < iterations; i++) consume(exchange(alice, bob, i))
      return undefined
    },
  }
}

async function dhStepCase(): Promise<BenchCase> {
  const secp = await nodeSecp256k1()
  let pair: SessionPair | undefined
  let turn = 0
  return {
    id: 'ratchet-dh-step',
    group: 'ratchet-dh-step',
    unit: 'ops/s',
    provider: providerLabel(secp, '1 KiB ping-pong, a DH step per message, per CPU-second'),
    reference: 'ratchet-dh-step',
    target: RATCHET_STEP_TARGET,
    cpuTime: true,
    setup() {
      pair = ratchetPair(secp)
    },
    run(iterations) {
      pair ??= ratchetPair(secp)
      const { alice, bob } = pair
      for (let i = 0; i < iterations; i++, turn++) {
        // Bob answers Alice's first message first, as the C side does
        consume(turn % 2 === 0 ? exchange(bob, alice, i) : exchange(alice, bob, i))
      }
      return undefined
    },
  }
}

export interface X3dhSetup {
  alice: RatchetSession
  bob: RatchetSession
  sharedKey: Uint8Array
}

/** The long-lived keys of an X3DH set-up, public halves computed once (as the C side). */
export interface X3dhParties {
  identityA: Uint8Array
  identityAPublic: Uint8Array
  identityB: Uint8Array
  identityBPublic: Uint8Array
  spk: Uint8Array
  spkPublic: Uint8Array
}

export function x3dhParties(secp: Secp256k1Provider): X3dhParties {
  const identityA = fillPattern(32, 74)
  const identityB = fillPattern(32, 75)
  const spk = fillPattern(32, 72)
  return {
    identityA,
    identityAPublic: secp.getPublicKey(identityA, true),
    identityB,
    identityBPublic: secp.getPublicKey(identityB, true),
    spk,
    spkPublic: secp.getPublicKey(spk, true),
  }
}

/** Both sides of a new session: Alice's ephemeral key, X3DH twice, both ratchets; checks they agree. */
export function x3dhSessionPair(secp: Secp256k1Provider, parties: X3dhParties): X3dhSetup {
  const { identityA, identityAPublic, identityB, identityBPublic, spk, spkPublic } = parties
  const ephemeral = generatePrivateKey()
  const ephemeralPublic = secp.getPublicKey(ephemeral, true)
  const sharedKey = x3dhInitiator(secp, {
    identityKey: identityA,
    ephemeralKey: ephemeral,
    theirIdentity: identityBPublic,
    theirSignedPreKey: spkPublic,
  })
  const alice = RatchetSession.initiator(secp, { sharedKey, theirSignedPreKey: spkPublic })
  const responderKey = x3dhResponder(secp, {
    identityKey: identityB,
    signedPreKey: spk,
    theirIdentity: identityAPublic,
    theirEphemeralKey: ephemeralPublic,
  })
  const bob = RatchetSession.responder(secp, {
    sharedKey: responderKey,
    signedPreKey: { privateKey: spk, publicKey: spkPublic },
  })
  if (!sharedKey.every((byte, i) => byte === responderKey[i]))
    throw new VerificationError('X3DH: the two sides derived different keys')
  return { alice, bob, sharedKey }
}

async function x3dhCase(): Promise<BenchCase> {
  const secp = await nodeSecp256k1()
  const parties = x3dhParties(secp)
  return {
    id: 'x3dh-session-setup',
    group: 'x3dh',
    unit: 'ops/s',
    provider: providerLabel(secp, 'X3DH + both RatchetSessions, per CPU-second'),
    reference: 'x3dh-session-setup',
    cpuTime: true,
    run(iterations) {
      for (let i = 0; i < iterations; i++) consume(x3dhSessionPair(secp, parties).sharedKey)
      return undefined
    },
  }
}

export async function secureRatchetCases(): Promise<BenchCase[]> {
  return [await sameChainCase(), await dhStepCase(), await x3dhCase()]
}
