/**
 * ECIES, AES-256-GCM, HMAC, HKDF and PBKDF2, against the same operations on OpenSSL in C. The
 * symmetric primitives run with every backend (`/native` is node:crypto, `/js` is @noble, what a
 * browser or a runtime without node:crypto gets), so the cost of the fallback is in the table.
 */
import {
  availableSecp256k1Providers,
  eciesDecrypt,
  eciesEncrypt,
  type SymmetricBackend,
  symmetricBackends,
  symmetricKey,
  WHISPER_PBKDF2_ITERATIONS,
} from '@parley/crypto'
import type { BenchCase } from '../types.ts'
import { consume, fillPattern } from './inputs.ts'

function gcmCase(label: string, bytes: number, minRatio: number, backend: SymmetricBackend): BenchCase {
  // a node holds its symmetric keys as handles, so the key schedule is not redone per message
  const key = symmetricKey(fillPattern(32, 11))
  const nonce = fillPattern(12, 12)
  const plaintext = fillPattern(bytes, 13)
  return {
    id: `aes-256-gcm-${label}/${backend.kind}`,
    group: `aes-256-gcm-${label}`,
    unit: 'ops/s',
    provider: `${backend.kind} (${backend.name})`,
    reference: `aes-256-gcm-${label}`,
    // the targets are for the default backend (node:crypto where it exists)
    target: backend === symmetricBackends()[0] ? { minRatio } : undefined,
    run(iterations) {
      for (let i = 0; i < iterations; i++) {
        nonce[0] = i & 0xff
        consume(backend.aes256GcmEncrypt(key, nonce, plaintext))
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

function macAndKdfCases(backend: SymmetricBackend): BenchCase[] {
  const key = fillPattern(32, 21)
  const data = fillPattern(1024, 22)
  const ikm = fillPattern(32, 31)
  const salt = new Uint8Array(32)
  const info = new TextEncoder().encode('parley bench hkd')
  const provider = `${backend.kind} (${backend.name})`
  const password = new TextEncoder().encode('status-offline-inbox')
  return [
    {
      id: `hmac-sha256-1k/${backend.kind}`,
      group: 'hmac-sha256-1k',
      unit: 'ops/s',
      provider,
      reference: 'hmac-sha256-1k',
      // a raw key per call, as ECIES MACs with a fresh key per message
      run(iterations) {
        for (let i = 0; i < iterations; i++) {
          data[0] = i & 0xff
          consume(backend.hmacSha256(key, data))
        }
        return undefined
      },
    },
    {
      id: `hkdf-sha256/${backend.kind}`,
      group: 'hkdf-sha256',
      unit: 'ops/s',
      provider,
      reference: 'hkdf-sha256',
      run(iterations) {
        for (let i = 0; i < iterations; i++) {
          ikm[0] = i & 0xff
          consume(backend.hkdfSha256(ikm, salt, info, 32))
        }
        return undefined
      },
    },
    {
      id: `pbkdf2-sha256-whisper/${backend.kind}`,
      group: 'pbkdf2-sha256-whisper',
      unit: 'ops/s',
      provider,
      reference: 'pbkdf2-sha256-whisper',
      async run(iterations) {
        const empty = new Uint8Array(0)
        for (let i = 0; i < iterations; i++) {
          consume(await backend.pbkdf2Sha256(password, empty, WHISPER_PBKDF2_ITERATIONS, 32))
        }
        return undefined
      },
    },
  ]
}

export async function symmetricCases(): Promise<BenchCase[]> {
  const backends = symmetricBackends()
  return [
    ...(await eciesCases()),
    ...backends.map((backend) => gcmCase('1k', 1024, 0.15, backend)),
    ...backends.map((backend) => gcmCase('64k', 65536, 0.45, backend)),
    ...backends.flatMap(macAndKdfCases),
  ]
}
