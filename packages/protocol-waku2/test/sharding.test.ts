/** Content topics, pubsub topics and autosharding against every case of waku2-sharding.json. */
import { bytesToHex, sha256, utf8ToBytes } from '@parley/crypto'
import { InvalidParametersError } from '@parley/interfaces'
import {
  contentTopicToPubsubTopic,
  contentTopicToShard,
  contentTopicToStaticShard,
  formatStaticShardTopic,
  LEGACY_DEFAULT_PUBSUB_TOPIC,
  parseContentTopic,
  parsePubsubTopic,
  parseStaticShardTopic,
  THE_WAKU_NETWORK,
} from '@parley/protocol-waku2'
import { describe, expect, it } from 'vitest'
import { loadCases, num, str, type VectorCase } from './vectors.ts'

const cases = loadCases('waku2-sharding.json')
const ofKind = (kind: string): VectorCase[] => {
  const found = cases.filter((vector) => vector.kind === kind)
  if (found.length === 0) throw new Error(`no ${kind} cases`)
  return found
}
const KNOWN_KINDS = [
  'autoshard',
  'static_pubsub_topic',
  'static_pubsub_topic_parse',
  'named_topic',
  'content_topic_validation',
]

it('every case in the vector file is of a kind this suite covers', () => {
  expect(cases.filter((vector) => !KNOWN_KINDS.includes(vector.kind ?? ''))).toEqual([])
})

describe('autosharding', () => {
  it.each(ofKind('autoshard').map((vector) => [vector.id, vector] as const))('%s', (_id, vector) => {
    const contentTopic = str(vector.input, 'content_topic')
    const shardCount = num(vector.input, 'num_shards_in_network')
    expect(contentTopicToShard(contentTopic, shardCount)).toBe(num(vector.expected, 'shard'))
    const pubsubTopic = vector.expected.pubsub_topic
    if (typeof pubsubTopic === 'string') {
      const config = { clusterId: num(vector.input, 'cluster_id'), shardCount }
      expect(contentTopicToPubsubTopic(contentTopic, config)).toBe(pubsubTopic)
    }
  })

  it('the derived hash input and hash match the vector (application || version)', () => {
    for (const vector of ofKind('autoshard')) {
      const { application, version } = parseContentTopic(str(vector.input, 'content_topic'))
      expect(application + version).toBe(str(vector.derived, 'hash_input_utf8'))
      expect(bytesToHex(sha256(utf8ToBytes(application + version)))).toBe(str(vector.derived, 'sha256_hex'))
    }
  })

  it('topics of one application and version share a shard whatever their name and encoding', () => {
    const a = contentTopicToShard('/toychat/2/huilong/proto', 8)
    expect(contentTopicToShard('/toychat/2/other/rlp', 8)).toBe(a)
    expect(contentTopicToShard('/0/toychat/2/other/rlp', 8)).toBe(a)
  })

  it('The Waku Network is cluster 1 over 8 shards', () => {
    expect(contentTopicToStaticShard('/toychat/2/huilong/proto', THE_WAKU_NETWORK)).toEqual({
      clusterId: 1,
      shard: 3,
    })
  })

  it.each([0, -1, 1.5, 1025, Number.NaN])('rejects shard count %s', (count) => {
    expect(() => contentTopicToShard('/toychat/2/huilong/proto', count)).toThrow(InvalidParametersError)
  })

  it('rejects an invalid content topic and an invalid cluster id', () => {
    expect(() => contentTopicToShard('invalid', 8)).toThrow(InvalidParametersError)
    expect(() => contentTopicToPubsubTopic('/a/1/b/c', { clusterId: 65_536, shardCount: 8 })).toThrow(
      InvalidParametersError,
    )
  })
})

describe('static shard pubsub topics', () => {
  it.each(ofKind('static_pubsub_topic').map((vector) => [vector.id, vector] as const))(
    'format %s',
    (_id, vector) => {
      const clusterId = num(vector.input, 'cluster_id')
      const shard = num(vector.input, 'shard')
      const topic = str(vector.expected, 'pubsub_topic')
      expect(formatStaticShardTopic(clusterId, shard)).toBe(topic)
      expect(parseStaticShardTopic(topic)).toEqual({ clusterId, shard })
    },
  )

  it.each(ofKind('static_pubsub_topic_parse').map((vector) => [vector.id, vector] as const))(
    'parse %s',
    (_id, vector) => {
      const expected = { clusterId: num(vector.expected, 'cluster_id'), shard: num(vector.expected, 'shard') }
      expect(parseStaticShardTopic(str(vector.input, 'pubsub_topic'))).toEqual(expected)
      expect(parsePubsubTopic(str(vector.input, 'pubsub_topic'))).toEqual({ kind: 'static', ...expected })
    },
  )

  it('accepts the range limits 0..65535 and 0..1023', () => {
    expect(parseStaticShardTopic('/waku/2/rs/65535/1023')).toEqual({ clusterId: 65_535, shard: 1023 })
    expect(formatStaticShardTopic(0, 0)).toBe('/waku/2/rs/0/0')
  })

  it.each([
    '/waku/2/rs/65536/0',
    '/waku/2/rs/0/1024',
    '/waku/2/rs/01/2',
    '/waku/2/rs/1/+2',
    '/waku/2/rs/1',
    '/waku/2/rs/1/2/3',
    '/waku/2/rs//2',
    '/waku/2/rs/1/2 ',
    '/waku/2/rs/1e3/2',
    '/waku/2/default-waku/proto',
  ])('rejects %s', (topic) => {
    expect(() => parseStaticShardTopic(topic)).toThrow(InvalidParametersError)
  })

  it.each([
    [-1, 0],
    [0, -1],
    [1.5, 0],
    [65_536, 0],
    [0, 1024],
  ])('format rejects cluster %s shard %s', (clusterId, shard) => {
    expect(() => formatStaticShardTopic(clusterId, shard)).toThrow(InvalidParametersError)
  })
})

describe('named pubsub topics (deprecated)', () => {
  it.each(ofKind('named_topic').map((vector) => [vector.id, vector] as const))('%s', (_id, vector) => {
    const topic = str(vector.expected, 'pubsub_topic')
    expect(topic).toBe(LEGACY_DEFAULT_PUBSUB_TOPIC)
    expect(parsePubsubTopic(topic)).toEqual({ kind: 'named', name: 'default-waku/proto' })
  })

  it.each(['/waku/1/x', '/waku/2/', 'waku/2/x', ''])('rejects %j', (topic) => {
    expect(() => parsePubsubTopic(topic)).toThrow(InvalidParametersError)
  })
})
