/**
 * go-ethereum's `shh_*` JSON-RPC API over HTTP, on a node's Whisper service:
 * `createNode({ …, services: { rpc: jsonRpc({ port: 8545 }) } })`.
 */
import { type Components, type Plugin, whisperProtocol } from '@parley/interfaces'
import { JsonRpcHttpServer, type JsonRpcInit, type JsonRpcServer } from './server.ts'

export type { FilterCriteria, RpcMessage } from './filters.ts'
export {
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
export {
  type BoundAddress,
  DEFAULT_HOST,
  DEFAULT_MAX_BODY_BYTES,
  DEFAULT_PATH,
  DEFAULT_PORT,
  type JsonRpcInit,
  type JsonRpcServer,
  JsonRpcServerError,
} from './server.ts'

/** A plugin serving the shh_* API for the node's `whisperProtocol` service. */
export function jsonRpc(init: JsonRpcInit = {}): Plugin<JsonRpcServer> {
  return {
    name: 'api-jsonrpc',
    needs: [whisperProtocol],
    create(components: Pick<Components, 'get' | 'logger'>): JsonRpcServer {
      return new JsonRpcHttpServer(
        {
          whisper: components.get(whisperProtocol),
          log: components.logger.forComponent('api-jsonrpc'),
        },
        init,
      )
    },
  }
}
