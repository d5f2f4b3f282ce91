/** Request Complete (125): status-go's byte string, its failure form, the spec list, and limits. */
import { utf8ToBytes } from '@parley/crypto'
import { DecodeError, InvalidParametersError } from '@parley/interfaces'
import { encode } from '@parley/rlp'
import { describe, expect, it } from 'vitest'
import {
  decodeRequestComplete,
  decodeRequestCompletePayload,
  encodeRequestCompleted,
  encodeRequestFailed,
  requestCompletedPayload,
  requestFailedPayload,
} from '../src/index.ts'

const requestId = new Uint8Array(32).fill(0xaa)
const lastEnvelopeHash = new Uint8Array(32).fill(0xbb)
const cursor = new Uint8Array(36).fill(0xcc)

describe('request complete', () => {
  it('the payload forms are the packets without their RLP string wrapping (what V1PrivacyProtocol carries)', () => {
    const completed = { requestId, lastEnvelopeHash, cursor }
    expect(encode(requestCompletedPayload(completed))).toEqual(encodeRequestCompleted(completed))
    const failed = { requestId, error: 'rate limit exceeded' }
    expect(encode(requestFailedPayload(failed))).toEqual(encodeRequestFailed(failed))
    expect(decodeRequestCompletePayload(requestCompletedPayload(completed))).toEqual(
      decodeRequestComplete(encodeRequestCompleted(completed)),
    )
    expect(decodeRequestCompletePayload(requestFailedPayload(failed))).toEqual({ kind: 'failed', ...failed })
  })

  it('round trips success with and without a cursor', () => {
    for (const c of [cursor, new Uint8Array(0)]) {
      const decoded = decodeRequestComplete(
        encodeRequestCompleted({ requestId, lastEnvelopeHash, cursor: c }),
      )
      expect(decoded).toEqual({
        kind: 'completed',
        requestId,
        lastEnvelopeHash,
        cursor: c,
        form: 'status-go',
      })
    }
  })

  it('round trips failure as "ERROR=" || id || text', () => {
    const packet = encodeRequestFailed({ requestId, error: 'query range too big' })
    expect(packet).toEqual(
      encode(
        Uint8Array.from([...utf8ToBytes('ERROR='), ...requestId, ...utf8ToBytes('query range too big')]),
      ),
    )
    expect(decodeRequestComplete(packet)).toEqual({ kind: 'failed', requestId, error: 'query range too big' })
  })

  it('accepts 32..100 bytes as status-go receivers do', () => {
    expect(decodeRequestComplete(encode(requestId))).toEqual({
      kind: 'completed',
      requestId,
      lastEnvelopeHash: new Uint8Array(32),
      cursor: new Uint8Array(0),
      form: 'status-go',
    })
    // A short last hash is right-aligned; a tail shorter than a cursor is no cursor.
    const partial = decodeRequestComplete(encode(Uint8Array.from([...requestId, 1, 2])))
    expect(partial.kind === 'completed' && partial.lastEnvelopeHash.subarray(30)).toEqual(Uint8Array.of(1, 2))
    const shortTail = decodeRequestComplete(encode(Uint8Array.from([...requestId, ...lastEnvelopeHash, 1])))
    expect(shortTail.kind === 'completed' && shortTail.cursor.length).toBe(0)
    expect(() => decodeRequestComplete(encode(new Uint8Array(31)))).toThrow(DecodeError)
    expect(() => decodeRequestComplete(encode(new Uint8Array(101)))).toThrow(DecodeError)
  })

  it('refuses bad inputs to the encoder', () => {
    expect(() => encodeRequestCompleted({ requestId: new Uint8Array(31), lastEnvelopeHash, cursor })).toThrow(
      InvalidParametersError,
    )
    expect(() => encodeRequestCompleted({ requestId, lastEnvelopeHash, cursor: new Uint8Array(40) })).toThrow(
      InvalidParametersError,
    )
  })
})
