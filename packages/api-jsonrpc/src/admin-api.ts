/**
 * go-ethereum's `admin_*` peer calls on the devp2p host: `addPeer`/`removePeer` take an enode URL,
 * `peers` and `nodeInfo` answer in geth's shapes (the host builds them).
 */
import { type Devp2pHost, InvalidParametersError } from '@parley/interfaces'
import type { RpcMethod } from './jsonrpc.ts'
import { arity, text } from './params.ts'

/** Runs `action` on an enode URL; a URL the host refuses is geth's `invalid enode: …`. */
function withEnode<T>(params: readonly unknown[], action: (enode: string) => T): T {
  arity(params, 1)
  const enode = text(params[0], 0)
  try {
    return action(enode)
  } catch (error) {
    if (error instanceof InvalidParametersError)
      throw new InvalidParametersError(`invalid enode: ${error.message}`, { cause: error })
    throw error
  }
}

export function adminMethods(host: Devp2pHost): Map<string, RpcMethod> {
  const methods: Record<string, RpcMethod> = {
    // A static peer: dialled now and redialled whenever it drops.
    admin_addPeer: (params) =>
      withEnode(params, (enode) => {
        host.addPeer(enode)
        return true
      }),
    // geth answers true even for a peer it never knew; we say whether there was one.
    admin_removePeer: (params) => withEnode(params, (enode) => host.removePeer(enode)),
    admin_peers: (params) => {
      arity(params, 0)
      return host.peerInfo()
    },
    admin_nodeInfo: (params) => {
      arity(params, 0)
      return host.nodeInfo()
    },
  }
  return new Map(Object.entries(methods))
}
