/** ECIES, AES-256-GCM, HMAC, HKDF and PBKDF2, against the same operations on OpenSSL in C. */
import {
  aes256GcmEncrypt,
  availableSecp256k1Providers,
  eciesDecrypt,
  eciesEncrypt,
  hkdfSha256,
  hmacSha256,
  pbkdf2Sha256,
  symmetricBackends,
  symmetricKey,
  WHISPER_PBKDF2_ITERATIONS,
} from '@parley/crypto'
import type { BenchCase } from '../types.ts'
import { consume, fillPattern } from './inputs.ts'

function gcmCase(label: string, bytes: number, minRatio: number, backend: string): BenchCase {
  // a node holds its symmetric keys as handles, so the key schedule is not redone per message
  const key = symmetricKey(fillPattern(32, 11))
  const nonce = fillPattern(12, 12)
  const plaintext = fillPattern(bytes, 13)
  return {
    id: `aes-256-gcm-${label}`,
    group: `aes-256-gcm-${label}`,
    unit: 'ops/s',
    provider: backend,
    reference: `aes-256-gcm-${label}`,
    target: { minRatio },
    run(iterations) {
      for (let i = 0; i < iterations; i++) {
        nonce[0] = i & 0xff
        consume(aes256GcmEncrypt(key, nonce, plaintext))
      }
      return undefined
    },
  }
}

async function eciesCases(): Promise<BenchCase[]> {
  const [secp] = await availableSecp256k1Providers()
  if (secp === undefined) return []
  const privateKey = fillPattern(32, 41)
  const publicKey = secp.getPublicKey(privateKey, false)
  const message = fillPattern(1024, 42)
  const sealed = eciesEncrypt(secp, publicKey, message)
  const provider = `${secp.kind} secp256k1 (${secp.name}), ${symmetricBackends()[0]!.name}`
  return [
    {
      id: 'ecies-encrypt-1k',
      group: 'ecies-encrypt-1k',
      unit: 'ops/s',
      provider,
      reference: 'ecies-encrypt-1k',
      run(iterations) {
        for (let i = 0; i < iterations; i++) consume(eciesEncrypt(secp, publicKey, message))
        return undefined
      },
    },
    {
      id: 'ecies-decrypt-1k',
      group: 'ecies-decrypt-1k',
      unit: 'ops/s',
      provider,
      reference: 'ecies-decrypt-1k',
      run(iterations) {
        for (let i = 0; i < iterations; i++) consume(eciesDecrypt(secp, privateKey, sealed))
        return undefined
      },
    },
  ]
}

function macAndKdfCases(backend: string): BenchCase[] {
  const key = fillPattern(32, 21)
  const data = fillPattern(1024, 22)
  const ikm = fillPattern(32, 31)
  const salt = new Uint8Array(32)
  const info = new TextEncoder().encode('parley bench hkd')
  return [
    {
      id: 'hmac-sha256-1k',
      group: 'hmac-sha256-1k',
      unit: 'ops/s',
      provider: backend,
      reference: 'hmac-sha256-1k',
      // a raw key per call, as ECIES MACs with a fresh key per message
      run(iterations) {
        for (let i = 0; i < iterations; i++) {
          data[0] = i & 0xff
          consume(hmacSha256(key, data))
        }
        return undefined
      },
    },
    {
      id: 'hkdf-sha256',
      group: 'hkdf-sha256',
      unit: 'ops/s',
      provider: backend,
      reference: 'hkdf-sha256',
      run(iterations) {
        for (let i = 0; i < iterations; i++) {
          ikm[0] = i & 0xff
          consume(hkdfSha256(ikm, salt, info, 32))
        }
        return undefined
      },
    },
    {
      id: 'pbkdf2-sha256-whisper',
      group: 'pbkdf2-sha256-whisper',
      unit: 'ops/s',
      provider: backend,
      reference: 'pbkdf2-sha256-whisper',
      async run(iterations) {
        const empty = new Uint8Array(0)
        for (let i = 0; i < iterations; i++) {
          consume(await pbkdf2Sha256('status-offline-inbox', empty, WHISPER_PBKDF2_ITERATIONS, 32))
        }
        return undefined
      },
    },
  ]
}

export async function symmetricCases(): Promise<BenchCase[]> {
  const backend = symmetricBackends()[0]!.name
  return [
    ...(await eciesCases()),
    gcmCase('1k', 1024, 0.15, backend),
    gcmCase('64k', 65536, 0.45, backend),
    ...macAndKdfCases(backend),
  ]
}
