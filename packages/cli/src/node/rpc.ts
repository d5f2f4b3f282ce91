/** The JSON-RPC API from the `rpc*` options: HTTP on `rpc-address`:`rpc-port`, WebSocket when asked. */
import { jsonRpc } from '@parley/api-jsonrpc'
import { InvalidConfigError, type Plugin } from '@parley/interfaces'
import type { ParleyConfig } from '../config/schema.ts'
import { devp2pProtocols } from './devp2p.ts'

type RpcConfig = Pick<
  ParleyConfig,
  'rpc' | 'rpc-address' | 'rpc-port' | 'ws-rpc-port' | 'rpc-cors' | 'protocol'
>

/** The `rpc` service plugin, or `undefined` without `rpc`; refuses settings that cannot work. */
export function rpcPlugin(config: RpcConfig): Plugin | undefined {
  if (!config.rpc) {
    const stray = (['ws-rpc-port', 'rpc-cors'] as const).filter((key) =>
      key === 'rpc-cors' ? config[key].length > 0 : config[key] !== undefined,
    )
    if (stray.length > 0)
      throw new InvalidConfigError(`${stray.join(' and ')} need${stray.length > 1 ? '' : 's'} rpc (--rpc)`)
    return undefined
  }
  // The API is the protocols' API: with none there is nothing to serve.
  if (devp2pProtocols(config).length === 0) {
    throw new InvalidConfigError('rpc serves the devp2p protocols: add --protocol whisper and/or waku1')
  }
  const wsPort = config['ws-rpc-port']
  const cors = config['rpc-cors']
  return jsonRpc({
    host: config['rpc-address'],
    port: config['rpc-port'],
    ...(wsPort === undefined ? {} : { wsPort }),
    ...(cors.length === 0 ? {} : { cors }),
  })
}
