/**
 * "Our" side: a Parley node composed as an application would (`devp2p()` host, `whisper()` and/or
 * `waku1()`) on 127.0.0.1 with a free port, and the waits the interop tests share.
 */
import { createNode, type ParleyNode } from '@parley/core'
import {
  devp2pHost,
  type TypedEventTarget,
  type V1PrivacyProtocol,
  waku1Protocol,
  whisperProtocol,
} from '@parley/interfaces'
import { waku1 } from '@parley/protocol-waku1'
import { whisper } from '@parley/protocol-whisper'
import { devp2p } from '@parley/transport-devp2p'

export type OurProtocol = 'shh' | 'waku'

/** Both sides require little PoW so that sealing stays in the milliseconds. */
export const MIN_POW = 0.001

export function ourNode(name: string, protocols: readonly OurProtocol[]): ParleyNode {
  return createNode({
    name,
    transports: [devp2p({ port: 0, clientId: `parley/${name}` })],
    protocols: protocols.map((protocol) =>
      protocol === 'shh' ? whisper({ minPow: MIN_POW }) : waku1({ minPow: MIN_POW }),
    ),
  })
}

export function ours(node: ParleyNode, protocol: OurProtocol): V1PrivacyProtocol {
  return node.get(protocol === 'shh' ? whisperProtocol : waku1Protocol)
}

export function ourId(node: ParleyNode): string {
  return node.get(devp2pHost).nodeId
}

export function ourEnode(node: ParleyNode): string {
  const enode = node.get(devp2pHost).enode
  if (enode === undefined) throw new Error('our node is not listening')
  return enode
}

/** Resolves once our `protocol` has accepted the Status of `peerId` (its `peer:ready` event). */
export async function ourPeerReady(
  node: ParleyNode,
  protocol: OurProtocol,
  peerId: string,
  ms = 10_000,
): Promise<void> {
  const us = ours(node, protocol)
  // Looking and listening happen in one synchronous step, so no Status slips in between.
  if (us.readyPeers().includes(peerId)) return
  await nextEvent(us, 'peer:ready', (detail) => detail.peer === peerId, ms).catch(() => {
    throw new Error(`timed out: our ${protocol} never accepted ${peerId.slice(0, 8)}`)
  })
}

/** The detail of the first `type` event that matches, or a rejection after `ms`. */
export function nextEvent<Events extends object, K extends keyof Events & string>(
  target: TypedEventTarget<Events>,
  type: K,
  match: (detail: Events[K]) => boolean = () => true,
  ms = 10_000,
): Promise<Events[K]> {
  return new Promise((resolve, reject) => {
    const listener = (event: CustomEvent<Events[K]>) => {
      if (!match(event.detail)) return
      clearTimeout(timer)
      target.removeEventListener(type, listener)
      resolve(event.detail)
    }
    const timer = setTimeout(() => {
      target.removeEventListener(type, listener)
      reject(new Error(`timed out waiting for our ${type} event`))
    }, ms)
    target.addEventListener(type, listener)
  })
}
