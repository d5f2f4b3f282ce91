/** Crypto checks: known answers and round trips with the providers the runtime selected. */
import {
  bytesToHex,
  computePow,
  eciesDecrypt,
  eciesEncrypt,
  equalBytes,
  generatePrivateKey,
  loadCrypto,
  seal,
  utf8ToBytes,
  verifyPow,
} from '@parley/crypto'
import { type DemoCheck, expectThat } from './check.ts'

const KECCAK256_OF_EMPTY = 'c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470'
const KECCAK256_OF_ABC = '4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45'

export const cryptoChecks: readonly DemoCheck[] = [
  {
    name: 'crypto.keccak256',
    async run(_context, signal) {
      const crypto = await loadCrypto({ signal })
      const empty = bytesToHex(crypto.keccak256(new Uint8Array(0)))
      expectThat(empty === KECCAK256_OF_EMPTY, `keccak256("") = ${empty}, expected ${KECCAK256_OF_EMPTY}`)
      const abc = bytesToHex(crypto.keccak256(utf8ToBytes('abc')))
      expectThat(abc === KECCAK256_OF_ABC, `keccak256("abc") = ${abc}, expected ${KECCAK256_OF_ABC}`)
      return `${crypto.hash.kind} provider ${crypto.hash.name}`
    },
  },
  {
    name: 'crypto.secp256k1',
    async run(context, signal) {
      const { secp256k1, keccak256 } = await loadCrypto({
        secp256k1: context.config['secp256k1-provider'],
        signal,
      })
      const privateKey = generatePrivateKey()
      const publicKey = secp256k1.getPublicKey(privateKey, false)
      const hash = keccak256(utf8ToBytes('parley demo: sign, recover, verify'))
      const signature = secp256k1.sign(hash, privateKey)
      expectThat(signature.length === 65, `signature is ${signature.length} bytes, expected 65`)
      const recovered = secp256k1.recover(hash, signature, false)
      expectThat(equalBytes(recovered, publicKey), 'recover returned a different public key')
      expectThat(secp256k1.verify(hash, signature, publicKey), 'verify rejected a good signature')
      const otherHash = keccak256(utf8ToBytes('a different message'))
      expectThat(
        !secp256k1.verify(otherHash, signature, publicKey),
        'verify accepted a signature over another hash',
      )
      return `${secp256k1.kind} provider ${secp256k1.name}`
    },
  },
  {
    name: 'crypto.ecies',
    async run(context, signal) {
      const { secp256k1 } = await loadCrypto({ secp256k1: context.config['secp256k1-provider'], signal })
      const privateKey = generatePrivateKey()
      const publicKey = secp256k1.getPublicKey(privateKey, false)
      const plaintext = utf8ToBytes('parley demo: ECIES as go-ethereum does it')
      const ciphertext = eciesEncrypt(secp256k1, publicKey, plaintext)
      expectThat(
        equalBytes(eciesDecrypt(secp256k1, privateKey, ciphertext), plaintext),
        'decrypt did not round-trip',
      )
      let wrongKeyRejected = false
      try {
        eciesDecrypt(secp256k1, generatePrivateKey(), ciphertext)
      } catch {
        wrongKeyRejected = true
      }
      expectThat(wrongKeyRejected, 'a different private key decrypted the message')
      return `${ciphertext.length - plaintext.length} bytes overhead`
    },
  },
  {
    name: 'crypto.pow',
    async run(_context, signal) {
      const envelope = {
        expiry: Math.floor(Date.now() / 1000) + 10,
        ttl: 10,
        topic: Uint8Array.of(0xde, 0xad, 0xbe, 0xef),
        data: new Uint8Array(1024).fill(0x5a),
      }
      const target = 0.002
      const sealed = await seal(envelope, { pow: target, signal })
      const withNonce = { ...envelope, nonce: sealed.nonce }
      const pow = computePow(withNonce)
      expectThat(pow >= target, `sealed envelope has pow ${pow}, below the target ${target}`)
      expectThat(verifyPow(withNonce, target), 'verifyPow rejected the sealed envelope')
      return `pow ${pow.toFixed(4)}, ${sealed.bits} bits, ${sealed.hashes} hashes`
    },
  },
]
