import { bytesToHex, loadCrypto } from '@parley/crypto'
import { InvalidParametersError } from '@parley/interfaces'
import { caseById, hex, loadVectors, str, unhex, type VectorRecord } from '@parley/test-support'
import { describe, expect, it } from 'vitest'
import {
  contentTopicForName,
  DISCOVERY_TOPIC_NAME,
  partitionedTopicName,
  personalDiscoveryTopicName,
  publicChatTopic,
  topicFromName,
} from '../src/index.ts'

const partitioned = caseById(loadVectors('x3dh.json'), 'partitioned-topic-official')

describe('contact discovery topics (x3dh.json partitioned-topic-official)', () => {
  it('partitioned topic names match status-go filters_manager_test.go', async () => {
    const secp = (await loadCrypto()).secp256k1
    const subcases = partitioned.cases ?? []
    expect(subcases.length).toBeGreaterThan(0)
    for (const subcase of subcases) {
      const publicKey = secp.getPublicKey(hex(subcase, 'priv_hex'), false)
      expect(partitionedTopicName(publicKey)).toBe(str(subcase, 'expected_name'))
    }
  })

  it('derived topics of the discovery names', () => {
    const derived = partitioned.derived ?? {}
    expect(Object.keys(derived)).toContain(DISCOVERY_TOPIC_NAME)
    for (const [name, expected] of Object.entries(derived)) {
      const record = expected as VectorRecord
      expect(bytesToHex(topicFromName(name))).toBe(str(record, 'topic_hex'))
      expect(contentTopicForName(name)).toBe(str(record, 'content_topic'))
    }
  })

  it('personal discovery name is the unprefixed uncompressed key hex', async () => {
    const secp = (await loadCrypto()).secp256k1
    const key = secp.getPublicKey(
      unhex('c6cbd7d76bc5baca530c875663711b947efa6a86a900a9e8645ce32e5821484e'),
      false,
    )
    expect(personalDiscoveryTopicName(key)).toBe(`contact-discovery-${bytesToHex(key)}`)
    expect(() => personalDiscoveryTopicName(secp.convertPublicKey(key, true))).toThrow(InvalidParametersError)
  })

  it('a public chat topic is the topic of its name', () => {
    expect(publicChatTopic('status')).toEqual(topicFromName('status'))
    expect(publicChatTopic('status')).toHaveLength(4)
  })
})
