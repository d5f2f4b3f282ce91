/**
 * `version`, `info` and the protocol's run-time settings: max message size, minimum PoW, bloom
 * filter, trusted peers. Texts are go-ethereum's (status-go kept them).
 */
import { InvalidParametersError } from '@parley/interfaces'
import type { RpcMethod } from './jsonrpc.ts'
import type { NamespaceContext } from './namespace.ts'
import { arity, enodeNodeId, float, hexBytes, uint32 } from './params.ts'

/** go-ethereum's `MaxMessageSize`: the ceiling for `setMaxMessageSize`. */
export const MAX_MESSAGE_SIZE_CEILING = 10 * 1024 * 1024
const BLOOM_LENGTH = 64

export function settingsMethods(context: NamespaceContext): Record<string, RpcMethod> {
  const { spec, protocol, filters, secp256k1 } = context
  return {
    version: (params) => {
      arity(params, 0)
      return spec.version
    },
    info: (params) => {
      arity(params, 0)
      const buffered = filters.buffered()
      return spec.info({
        bufferedBytes: buffered.bytes,
        bufferedMessages: buffered.messages,
        minPow: protocol.minPow,
        maxMessageSize: protocol.maxMessageSize,
      })
    },
    setMaxMessageSize: (params) => {
      arity(params, 1)
      const size = uint32(params[0], 0)
      if (size > MAX_MESSAGE_SIZE_CEILING)
        throw new InvalidParametersError(`message size too large [${size}>${MAX_MESSAGE_SIZE_CEILING}]`)
      if (size === 0) throw new InvalidParametersError('message size too small')
      protocol.setMaxMessageSize(size)
      return true
    },
    setMinPoW: async (params, { signal }) => {
      arity(params, 1)
      const pow = float(params[0], 0)
      if (pow < 0) throw new InvalidParametersError(`invalid PoW: ${pow}`)
      await protocol.setMinPow(pow, { signal })
      return true
    },
    setBloomFilter: async (params, { signal }) => {
      arity(params, 1)
      const bloom = hexBytes(params[0], 0)
      if (bloom.length !== BLOOM_LENGTH)
        throw new InvalidParametersError(`invalid bloom filter size ${bloom.length}`)
      await protocol.setBloomFilter(bloom, { signal })
      return true
    },
    // Trusts a connected or future peer: its expired envelopes and direct p2p messages are accepted.
    markTrustedPeer: (params) => {
      arity(params, 1)
      protocol.markTrustedPeer(enodeNodeId(params[0], 0, secp256k1()))
      return true
    },
  }
}
