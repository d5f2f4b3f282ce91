/**
 * The primitives RLPx framing is built from, checked against the frame and MAC vectors of
 * rlpx-eip8.json: a continuous AES-256-CTR stream, AES-256-ECB on single blocks and an incremental
 * keccak256. The framing itself belongs to the devp2p transport.
 */
import { describe, expect, it } from 'vitest'
import { bytesToHex, createKeccak256, hexToBytes, symmetricBackends } from '../src/index.ts'
import { field, loadVectors } from './vectors.ts'

const vectors = loadVectors('rlpx-eip8.json')
const xor = (a: Uint8Array, b: Uint8Array): Uint8Array => a.map((byte, i) => byte ^ b[i]!)

describe.each(symmetricBackends().map((backend) => [backend.name, backend] as const))('%s', (_, backend) => {
  it('encrypts a frame header and body with one AES-256-CTR keystream (go-ethereum golden frame)', () => {
    const [vector] = vectors.filter((c) => c.id === 'frame-write-read-geth-fake-mac')
    const stream = backend.createAesCtrStream(
      hexToBytes(field(vector?.input, 'aes_secret')),
      new Uint8Array(16),
    )
    const header = stream.update(hexToBytes(field(vector?.derived, 'header_plaintext')))
    const body = stream.update(hexToBytes(field(vector?.derived, 'frame_data_plaintext_padded')))
    const fakeMac = '01'.repeat(16)
    expect(`${bytesToHex(header)}${fakeMac}${bytesToHex(body)}${fakeMac}`).toBe(
      field(vector?.expected, 'frame'),
    )
  })

  it.each(vectors.filter((c) => c.id.startsWith('ethereumjs-mac-')))(
    'computes the frame MAC: $id',
    (vector) => {
      const encryptBlock = backend.createAesEcbEncryptor(hexToBytes(field(vector.input, 'mac_secret')))
      const mac = createKeccak256()
      const ops = vector.input.ops as [string, string][]
      expect(ops.length).toBeGreaterThan(0)
      for (const [op, dataHex] of ops) {
        const data = hexToBytes(dataHex)
        if (op === 'updateHeader') {
          mac.update(xor(encryptBlock(mac.digest().subarray(0, 16)), data))
        } else if (op === 'updateBody') {
          mac.update(data)
          const seed = mac.digest().subarray(0, 16)
          mac.update(xor(encryptBlock(seed), seed))
        } else {
          throw new Error(`unknown MAC operation ${op}`)
        }
      }
      expect(bytesToHex(mac.digest().subarray(0, 16))).toBe(field(vector.expected, 'digest16'))
    },
  )
})
