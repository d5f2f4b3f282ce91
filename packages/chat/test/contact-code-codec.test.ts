import { DecodeError } from '@parley/interfaces'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  type ContactCodeAdvertisement,
  decodeContactCodeAdvertisement,
  encodeContactCodeAdvertisement,
} from '../src/index.ts'

const advertisement: fc.Arbitrary<ContactCodeAdvertisement> = fc.record(
  {
    pushNotificationInfo: fc.array(fc.uint8Array({ maxLength: 40 }), { maxLength: 4 }),
    chatIdentity: fc.uint8Array({ minLength: 1, maxLength: 40 }),
  },
  { requiredKeys: ['pushNotificationInfo'] },
)

describe('ContactCodeAdvertisement', () => {
  it('an empty advertisement (what we send) is zero bytes and decodes back', () => {
    const bytes = encodeContactCodeAdvertisement({ pushNotificationInfo: [] })
    expect(bytes).toEqual(new Uint8Array(0))
    expect(decodeContactCodeAdvertisement(bytes)).toEqual({ pushNotificationInfo: [] })
  })

  it('lays out push_notification_info = 1 and chat_identity = 2 as length-delimited fields', () => {
    const bytes = encodeContactCodeAdvertisement({
      pushNotificationInfo: [new Uint8Array([0xaa])],
      chatIdentity: new Uint8Array([0xbb, 0xcc]),
    })
    expect(bytes).toEqual(new Uint8Array([0x0a, 1, 0xaa, 0x12, 2, 0xbb, 0xcc]))
  })

  it('round-trips', () => {
    fc.assert(
      fc.property(advertisement, (value) => {
        expect(decodeContactCodeAdvertisement(encodeContactCodeAdvertisement(value))).toEqual(value)
      }),
    )
  })

  it('skips fields it does not know, as protobuf readers do', () => {
    const bytes = new Uint8Array([0x18, 0x05, 0x0a, 0x01, 0x07]) // field 3 varint, then field 1
    expect(decodeContactCodeAdvertisement(bytes)).toEqual({ pushNotificationInfo: [new Uint8Array([7])] })
  })

  it('refuses a known field of the wrong wire type and truncated input with DecodeError', () => {
    for (const bytes of [[0x08, 0x01], [0x10, 0x00], [0x0a, 0x05, 0x01], [0x12], [0x00, 0x00]]) {
      expect(() => decodeContactCodeAdvertisement(new Uint8Array(bytes))).toThrow(DecodeError)
    }
  })

  it('garbage either decodes or raises DecodeError, nothing else', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        try {
          decodeContactCodeAdvertisement(bytes)
        } catch (error) {
          expect(error).toBeInstanceOf(DecodeError)
        }
      }),
    )
  })
})
