/**
 * JSON-RPC for a Parley node over HTTP and WebSocket: go-ethereum's `shh_*` on Whisper,
 * status-go's `waku_*` on Waku v1 and geth's `admin_*` peer calls on the devp2p host:
 * `createNode({ …, services: { rpc: jsonRpc({ port: 8545, wsPort: 8546 }) } })`.
 */
import {
  type Capability,
  type Components,
  devp2pHost,
  historyClient,
  type Plugin,
  waku1Protocol,
  whisperProtocol,
} from '@parley/interfaces'
import { checkInit, type JsonRpcInit, type JsonRpcServer } from './api.ts'
import { JsonRpcService } from './server.ts'

export {
  type BoundAddress,
  DEFAULT_HOST,
  DEFAULT_MAX_BODY_BYTES,
  DEFAULT_PATH,
  DEFAULT_PORT,
  type JsonRpcInit,
  type JsonRpcServer,
  JsonRpcServerError,
} from './api.ts'
export { originAllowed, webSocketOriginAllowed } from './cors.ts'
export type { FilterCriteria, RpcMessage } from './filters.ts'
export { historyStatusMethod, requestMessagesMethod } from './history-api.ts'
export {
  type CallContext,
  dispatch,
  handleBody,
  INVALID_PARAMS,
  INVALID_REQUEST,
  JsonRpcError,
  METHOD_NOT_FOUND,
  PARSE_ERROR,
  type RpcMethod,
  type RpcResponse,
  SERVER_ERROR,
} from './jsonrpc.ts'
export { type NamespaceSpec, SHH, WAKU } from './namespace.ts'
export { RpcSession, type RpcSessionInit } from './session.ts'

/**
 * The JSON-RPC plugin. Every dependency is optional: `shh_*` appears with `whisperProtocol`,
 * `waku_*` with `waku1Protocol`, `admin_*` with `devp2pHost`, and with `historyClient` (the
 * mailserver client) `shhext_requestMessages` / `wakuext_requestMessages` and `parley_historyStatus`. Starting without Whisper or Waku v1
 * fails with `MissingCapabilityError`. Bad options throw `InvalidConfigError` here.
 */
export function jsonRpc(init: JsonRpcInit = {}): Plugin<JsonRpcServer> {
  checkInit(init)
  return {
    name: 'api-jsonrpc',
    needs: [],
    wants: [whisperProtocol, waku1Protocol, devp2pHost, historyClient],
    create(components: Pick<Components, 'get' | 'has' | 'logger'>): JsonRpcServer {
      const optional = <T>(capability: Capability<T>): T | undefined =>
        components.has(capability) ? components.get(capability) : undefined
      return new JsonRpcService(
        {
          whisper: optional(whisperProtocol),
          waku1: optional(waku1Protocol),
          devp2p: optional(devp2pHost),
          history: optional(historyClient),
          log: components.logger.forComponent('api-jsonrpc'),
        },
        init,
      )
    },
  }
}
