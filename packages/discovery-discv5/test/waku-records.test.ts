/** Real Waku records (waku2-enr.json) read through @chainsafe/enr and `discv5Peer`. */
import { ENR } from '@chainsafe/enr'
import { loadVectors, str } from '@parley/test-support'
import { describe, expect, it } from 'vitest'
import { discv5Peer } from '../src/index.ts'

const records = loadVectors('waku2-enr.json').filter((c) => c.kind === 'enr_decode')

describe('waku2-enr.json records as discv5 peers', () => {
  it('has records to read', () => expect(records.length).toBeGreaterThanOrEqual(4))
  for (const vector of records) {
    it(vector.id, () => {
      const decoded = vector.derived_decode ?? {}
      const { peer, nodeId, seq } = discv5Peer(ENR.decodeTxt(str(vector.input, 'enr')))
      expect(nodeId).toBe(decoded.node_id)
      expect(seq).toBe(BigInt(decoded.seq as number))
      const keys = decoded.keys as string[]
      if (keys.includes('waku2')) {
        expect(peer.id).toBe(decoded.peer_id)
        expect(peer.capabilities?.every((capability) => capability.startsWith('waku2:'))).toBe(true)
      } else {
        expect(peer.id).toMatch(/^[0-9a-f]{128}$/)
        expect(peer.capabilities).toBeUndefined()
      }
      if (decoded.ip !== undefined)
        expect(peer.enode).toMatch(
          new RegExp(`^enode://${peer.id.length === 128 ? peer.id : '[0-9a-f]{128}'}@${decoded.ip}:`),
        )
    })
  }
})
