/**
 * The capabilities registered with a host, and the calls into their handlers. Handlers are other
 * plugins' code: whatever they throw or reject with ends that one peer, never the host.
 */

import { InvalidParametersError } from '@parley/interfaces'
import type { SharedCapability } from '../capabilities.ts'
import type { Devp2pCapabilityWithInfo } from './admin.ts'
import type { Devp2pHostPeer } from './peer.ts'

/** Called with the peer whose handler failed, and what it threw. */
export type HandlerFailure = (peer: Devp2pHostPeer, error: unknown, during: string) => void

export class CapabilityHandlers {
  readonly list: Devp2pCapabilityWithInfo[] = []
  readonly #onFailure: HandlerFailure

  constructor(onFailure: HandlerFailure) {
    this.#onFailure = onFailure
  }

  register(capability: Devp2pCapabilityWithInfo): void {
    const { name, version, length } = capability
    if (!/^[a-z0-9]{1,8}$/i.test(name) || !Number.isInteger(version) || version < 0)
      throw new InvalidParametersError(`invalid capability ${name}/${version}`)
    if (!Number.isInteger(length) || length < 1)
      throw new InvalidParametersError(`capability ${name}/${version} needs a positive length`)
    if (this.list.some((other) => other.name === name && other.version === version))
      throw new InvalidParametersError(`capability ${name}/${version} is already registered`)
    this.list.push(capability)
  }

  connected(peer: Devp2pHostPeer): void {
    for (const shared of peer.capabilities) {
      const handler = this.#find(shared)
      if (handler !== undefined)
        this.#guard(peer, 'onPeerConnect', () => handler.onPeerConnect(peer.view(shared.name)))
    }
  }

  message(peer: Devp2pHostPeer, capability: SharedCapability, code: number, data: Uint8Array): void {
    const handler = this.#find(capability)
    if (handler !== undefined)
      this.#guard(peer, 'onMessage', () => handler.onMessage(peer.view(capability.name), code, data))
  }

  disconnected(peer: Devp2pHostPeer, reason: number): void {
    for (const shared of peer.capabilities) {
      const handler = this.#find(shared)
      if (handler !== undefined)
        this.#guard(peer, 'onPeerDisconnect', () => handler.onPeerDisconnect(peer.view(shared.name), reason))
    }
  }

  #guard(peer: Devp2pHostPeer, during: string, run: () => void | Promise<void>): void {
    try {
      const result = run()
      if (result instanceof Promise) result.catch((error: unknown) => this.#onFailure(peer, error, during))
    } catch (error) {
      this.#onFailure(peer, error, during)
    }
  }

  #find(shared: SharedCapability): Devp2pCapabilityWithInfo | undefined {
    return this.list.find((c) => c.name === shared.name && c.version === shared.version)
  }
}
