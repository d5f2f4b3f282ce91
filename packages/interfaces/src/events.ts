/**
 * Typed events in the `noun:verb` form, delivered as `CustomEvent`s on an `EventTarget` (the same
 * shape js-libp2p uses, so listeners look familiar).
 *
 * Plugins add their own events by augmenting `ParleyEvents`:
 *
 * ```ts
 * declare module '@parley/interfaces' {
 *   interface ParleyEvents { 'mailserver:request-complete': { requestId: string } }
 * }
 * ```
 */
/** Listener options (declared here so the package needs no DOM lib). */
export interface ListenerOptions {
  once?: boolean
  signal?: AbortSignal
  capture?: boolean
}

export type EventHandler<E> = ((event: E) => void) | { handleEvent(event: E): void }

export interface TypedEventTarget<EventMap extends object> {
  addEventListener<K extends keyof EventMap & string>(
    type: K,
    listener: EventHandler<CustomEvent<EventMap[K]>> | null,
    options?: boolean | ListenerOptions,
  ): void
  removeEventListener<K extends keyof EventMap & string>(
    type: K,
    listener?: EventHandler<CustomEvent<EventMap[K]>> | null,
    options?: boolean | Pick<ListenerOptions, 'capture'>,
  ): void
  dispatchEvent(event: Event): boolean
  /** Dispatches `new CustomEvent(type, { detail })`; a throwing listener never reaches the dispatcher. */
  safeDispatchEvent<K extends keyof EventMap & string>(type: K, detail: EventMap[K]): boolean
  listenerCount(type: keyof EventMap & string): number
}

/** A peer as the overlay transports and discovery see it. */
export interface PeerEventDetail {
  /** devp2p node id (64-byte public key, hex) or libp2p peer id string */
  id: string
  overlay: 'devp2p' | 'libp2p'
  address?: string
}

export interface PluginEventDetail {
  plugin: string
  ms?: number
  error?: Error
}

/** Events every node emits. Plugins extend this interface by declaration merging. */
export interface ParleyEvents {
  'node:start': { ms: number }
  'node:stop': { ms: number }
  'plugin:start': PluginEventDetail
  'plugin:stop': PluginEventDetail
  'plugin:error': PluginEventDetail
  'peer:connect': PeerEventDetail
  'peer:disconnect': PeerEventDetail & { reason?: string }
  'peer:discovery': PeerEventDetail & { source: string; multiaddrs?: string[]; enode?: string; enr?: string }
  'envelope:received': { protocol: string; hash: string; topic: string; from?: string }
  'envelope:rejected': { protocol: string; reason: string; from?: string }
}
