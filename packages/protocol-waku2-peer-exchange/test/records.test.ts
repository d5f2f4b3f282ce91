/** Real Waku records (waku2-enr.json) as peer exchange peers. */
import { decodeEnr } from '@parley/enr'
import { caseById, field, loadVectors, str } from '@parley/test-support'
import { describe, expect, it } from 'vitest'
import { clusterMismatch, enrCluster, peerFromEnr } from '../src/index.ts'
import { secp } from './fixtures.ts'

const vectors = loadVectors('waku2-enr.json')

describe('waku2-enr.json records as peers', () => {
  it("go-waku's record dials as go-waku says, plus its multiaddrs entry", () => {
    const vector = caseById(vectors, 'enr-gowaku_enode_to_multiaddr')
    const enr = decodeEnr(str(vector.input, 'enr'), secp)
    const peer = peerFromEnr(enr, secp)
    const expected = str(vector.expected_official, 'multiaddr_from_ip_tcp')
    expect(peer.multiaddrs?.[0]).toBe(expected)
    const id = expected.split('/p2p/')[1]
    expect(peer.id).toBe(id)
    const listed = field<Array<{ string: string }>>(vector.derived_decode, 'multiaddrs')
    expect(peer.multiaddrs?.slice(1)).toEqual(listed.map((address) => `${address.string}/p2p/${id}`))
    expect(enrCluster(enr)).toBe(1)
    expect(clusterMismatch(enr, 1)).toBe(false)
    expect(clusterMismatch(enr, 16)).toBe(true)
    expect(clusterMismatch(enr, undefined)).toBe(false)
  })

  it('a record without shards matches every cluster', () => {
    const enr = decodeEnr(str(caseById(vectors, 'enr-gowaku_dnsdisc_1').input, 'enr'), secp)
    expect(enrCluster(enr)).toBeUndefined()
    expect(clusterMismatch(enr, 16)).toBe(false)
    expect(peerFromEnr(enr, secp).capabilities).toEqual(['waku2:relay'])
  })
})
