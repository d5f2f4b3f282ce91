/** nwaku's REST API (`rest`), over the Waku v2 services and service nodes the node has. */
import { restApi } from '@parley/api-rest'
import type { Plugin } from '@parley/interfaces'
import type { ParleyConfig } from '../config/schema.ts'

type RestConfig = Pick<
  ParleyConfig,
  | 'rest'
  | 'rest-address'
  | 'rest-port'
  | 'rest-allow-origin'
  | 'store-node'
  | 'filter-node'
  | 'lightpush-node'
>

/**
 * The REST plugin when `rest` is on. `enr` reads the node's record at each `/debug/v1/info`
 * (discv5's, once it runs); the service nodes answer the store, filter and lightpush endpoints a
 * light client cannot serve itself.
 */
export function restPlugin(config: RestConfig, enr: () => string | undefined): Plugin | undefined {
  if (!config.rest) return undefined
  const peers = {
    storePeer: config['store-node'],
    filterPeer: config['filter-node'],
    lightpushPeer: config['lightpush-node'],
  }
  return restApi({
    address: config['rest-address'],
    port: config['rest-port'],
    allowOrigins: config['rest-allow-origin'],
    enr,
    ...Object.fromEntries(Object.entries(peers).filter(([, peer]) => peer !== undefined)),
  })
}
