/**
 * One privacy namespace: go-ethereum's `shh_*` on Whisper, or status-go's `waku_*` on Waku v1.
 * Both are the same API over a `V1PrivacyProtocol` with their own key store and filters; they
 * differ in the version string and the `info` shape, which `NamespaceSpec` carries.
 */
import type { Secp256k1Provider, V1PrivacyProtocol } from '@parley/interfaces'
import type { MessageFilters } from './filters.ts'
import type { RpcMethod } from './jsonrpc.ts'
import type { ShhKeyStore } from './keys.ts'
import { keyMethods } from './keys-api.ts'
import { messageMethods } from './messages-api.ts'
import { settingsMethods } from './settings-api.ts'
import { subscriptionMethods } from './subscriptions-api.ts'

export interface NamespaceSpec {
  /** method prefix: `shh` or `waku` */
  name: string
  /** what `<name>_version` answers */
  version: string
  /** `<name>_info`, from the filter buffers and the protocol's settings */
  info(state: {
    bufferedBytes: number
    bufferedMessages: number
    minPow: number
    maxMessageSize: number
  }): object
}

/** go-ethereum whisperv6: `ProtocolVersionStr` and its `Info` with `memory`. */
export const SHH: NamespaceSpec = {
  name: 'shh',
  version: '6.0',
  info: (state) => ({
    memory: state.bufferedBytes,
    messages: state.bufferedMessages,
    minPow: state.minPow,
    maxMessageSize: state.maxMessageSize,
  }),
}

/** status-go waku: version 1 (nimbus' `waku_version`; status-go dropped the call), `Info` without `memory`. */
export const WAKU: NamespaceSpec = {
  name: 'waku',
  version: '1',
  info: (state) => ({
    messages: state.bufferedMessages,
    minPow: state.minPow,
    maxMessageSize: state.maxMessageSize,
  }),
}

export interface NamespaceContext {
  spec: NamespaceSpec
  protocol: V1PrivacyProtocol
  keys: ShhKeyStore
  filters: MessageFilters
  secp256k1: () => Secp256k1Provider
}

/** Every method of the namespace, under `<name>_<method>`. */
export function privacyMethods(context: NamespaceContext): Map<string, RpcMethod> {
  const methods = new Map<string, RpcMethod>()
  const groups = [
    settingsMethods(context),
    keyMethods(context),
    messageMethods(context),
    subscriptionMethods(context),
  ]
  for (const group of groups)
    for (const [suffix, method] of Object.entries(group))
      methods.set(`${context.spec.name}_${suffix}`, method)
  return methods
}
