/** Deterministic keys and records for tree tests. */
import { addressEntries, enrToText, signEnr } from '@parley/enr'
import type { Secp256k1Provider } from '@parley/interfaces'

/** A valid private key derived from `index` (1-based so it is never zero). */
export function testKey(index: number): Uint8Array {
  const key = new Uint8Array(32)
  key[0] = 0x11
  key[28] = (index >>> 24) & 0xff
  key[29] = (index >>> 16) & 0xff
  key[30] = (index >>> 8) & 0xff
  key[31] = (index & 0xff) + 1
  return key
}

/** `count` signed ENRs in text form with distinct keys and addresses. */
export function makeEnrs(count: number, secp: Secp256k1Provider, offset = 0): string[] {
  return Array.from({ length: count }, (_, i) =>
    enrToText(
      signEnr(
        {
          seq: 1,
          entries: addressEntries({
            ip: `10.0.${(i + offset) >> 8}.${(i + offset) & 0xff}`,
            tcp: 30303,
            udp: 30303,
          }),
        },
        testKey(1000 + i + offset),
        secp,
      ),
    ),
  )
}
