/**
 * Symmetric primitives on node:crypto (OpenSSL). Keys always go in as `KeyObject`s: Node 24 handles a
 * raw Buffer key 3-5x slower than a KeyObject, even counting the KeyObject's creation, and a
 * `SymmetricKey` handle keeps its KeyObject so that cost is paid once per key.
 */
import type { KeyObject } from 'node:crypto'
import { VerificationError } from '@parley/interfaces'
import { abortable, throwIfAborted } from '../abort.ts'
import { nodeCrypto } from '../runtime.ts'
import type { AesCtrStream, SymmetricBackend } from './backend.ts'
import {
  checkBlock,
  checkCtr,
  checkEcb,
  checkGcm,
  checkHkdfLength,
  checkPbkdf2,
  checkSealed,
  GCM_TAG_LENGTH,
} from './backend.ts'
import type { KeyInput } from './key.ts'
import { keyBytes, SymmetricKey } from './key.ts'

type NodeCrypto = NonNullable<typeof nodeCrypto>

/** A plain Uint8Array view of a Buffer: Buffer's `slice` shares memory, which surprises callers. */
function plain(buffer: Uint8Array): Uint8Array {
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength)
}

function createNodeBackend(crypto: NodeCrypto): SymmetricBackend {
  const keyObjects = new WeakMap<SymmetricKey, KeyObject>()

  function keyObject(key: KeyInput): KeyObject {
    if (!(key instanceof SymmetricKey)) return crypto.createSecretKey(key)
    let cached = keyObjects.get(key)
    if (cached === undefined) {
      cached = crypto.createSecretKey(keyBytes(key))
      keyObjects.set(key, cached)
    }
    return cached
  }

  const ctrAlgorithm = (key: KeyInput): string => (key.length === 16 ? 'aes-128-ctr' : 'aes-256-ctr')

  return {
    name: 'node:crypto',
    kind: 'native',
    sha256: (data) => plain(crypto.createHash('sha256').update(data).digest()),
    hmacSha256: (key, data) => plain(crypto.createHmac('sha256', keyObject(key)).update(data).digest()),
    aes256GcmEncrypt(key, nonce, plaintext, aad) {
      checkGcm(key, nonce)
      const cipher = crypto.createCipheriv('aes-256-gcm', keyObject(key), nonce, {
        authTagLength: GCM_TAG_LENGTH,
      })
      if (aad !== undefined) cipher.setAAD(aad)
      const head = cipher.update(plaintext)
      const tail = cipher.final()
      return plain(Buffer.concat([head, tail, cipher.getAuthTag()]))
    },
    aes256GcmDecrypt(key, nonce, sealed, aad) {
      checkGcm(key, nonce)
      checkSealed(sealed)
      const split = sealed.length - GCM_TAG_LENGTH
      const decipher = crypto.createDecipheriv('aes-256-gcm', keyObject(key), nonce, {
        authTagLength: GCM_TAG_LENGTH,
      })
      decipher.setAuthTag(sealed.subarray(split))
      if (aad !== undefined) decipher.setAAD(aad)
      const head = decipher.update(sealed.subarray(0, split))
      try {
        return plain(Buffer.concat([head, decipher.final()]))
      } catch (cause) {
        throw new VerificationError('AES-GCM authentication tag does not match', { cause })
      }
    },
    aesCtr(key, iv, data) {
      checkCtr(key, iv)
      return plain(crypto.createCipheriv(ctrAlgorithm(key), keyObject(key), iv).update(data))
    },
    createAesCtrStream(key, iv): AesCtrStream {
      checkCtr(key, iv)
      const cipher = crypto.createCipheriv(ctrAlgorithm(key), keyObject(key), iv)
      return { update: (data) => plain(cipher.update(data)) }
    },
    createAesEcbEncryptor(key) {
      checkEcb(key)
      const algorithm = key.length === 16 ? 'aes-128-ecb' : 'aes-256-ecb'
      // ECB keeps no state between blocks, so one cipher serves every call.
      const cipher = crypto.createCipheriv(algorithm, keyObject(key), null).setAutoPadding(false)
      return (block) => {
        checkBlock(block)
        return plain(cipher.update(block))
      }
    },
    hkdfSha256(ikm, salt, info, length) {
      checkHkdfLength(length)
      return new Uint8Array(crypto.hkdfSync('sha256', keyObject(ikm), salt, info, length))
    },
    async pbkdf2Sha256(password, salt, iterations, length, options) {
      checkPbkdf2(iterations, length)
      throwIfAborted(options?.signal)
      // Runs on libuv's thread pool; an abort rejects at once and the late result is dropped.
      const work = new Promise<Uint8Array>((resolve, reject) => {
        crypto.pbkdf2(password, salt, iterations, length, 'sha256', (error, derived) => {
          if (error === null) resolve(plain(derived))
          else reject(error)
        })
      })
      return abortable(work, options?.signal)
    },
  }
}

/** The node:crypto backend, or `undefined` outside Node.js. */
export const nodeSymmetricBackend: SymmetricBackend | undefined =
  nodeCrypto === undefined ? undefined : createNodeBackend(nodeCrypto)
