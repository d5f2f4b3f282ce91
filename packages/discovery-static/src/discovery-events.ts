import type { EventHandler, ListenerOptions, PeerDiscoveryEvents, TypedEventTarget } from '@parley/interfaces'

type Listener = EventHandler<Event>

/**
 * The discovery's own event target. Listeners are wrapped so that one that throws is reported to
 * `onListenerError` and never reaches the timer that dispatched (nor crashes the process).
 */
export class DiscoveryEvents extends EventTarget implements TypedEventTarget<PeerDiscoveryEvents> {
  readonly #wrappers = new Map<string, Map<Listener, (event: Event) => void>>()
  readonly #onListenerError: (error: unknown) => void

  constructor(onListenerError: (error: unknown) => void = () => {}) {
    super()
    this.#onListenerError = onListenerError
  }

  override addEventListener<K extends keyof PeerDiscoveryEvents & string>(
    type: K,
    listener: EventHandler<CustomEvent<PeerDiscoveryEvents[K]>> | null,
    options?: boolean | ListenerOptions,
  ): void {
    if (listener == null) return
    const handler = listener as Listener
    const byListener = this.#wrappers.get(type) ?? new Map<Listener, (event: Event) => void>()
    if (byListener.has(handler)) return
    const once = typeof options === 'object' && options.once === true
    const signal = typeof options === 'object' ? options.signal : undefined
    if (signal?.aborted) return
    const wrapper = (event: Event): void => {
      if (once) this.removeEventListener(type, listener)
      try {
        if (typeof handler === 'function') handler(event)
        else handler.handleEvent(event)
      } catch (error) {
        this.#onListenerError(error)
      }
    }
    byListener.set(handler, wrapper)
    this.#wrappers.set(type, byListener)
    signal?.addEventListener('abort', () => this.removeEventListener(type, listener), { once: true })
    super.addEventListener(type, wrapper)
  }

  override removeEventListener<K extends keyof PeerDiscoveryEvents & string>(
    type: K,
    listener?: EventHandler<CustomEvent<PeerDiscoveryEvents[K]>> | null,
  ): void {
    if (listener == null) return
    const byListener = this.#wrappers.get(type)
    const wrapper = byListener?.get(listener as Listener)
    if (wrapper === undefined) return
    byListener?.delete(listener as Listener)
    super.removeEventListener(type, wrapper)
  }

  safeDispatchEvent<K extends keyof PeerDiscoveryEvents & string>(
    type: K,
    detail: PeerDiscoveryEvents[K],
  ): boolean {
    return this.dispatchEvent(new CustomEvent(type, { detail }))
  }

  listenerCount(type: keyof PeerDiscoveryEvents & string): number {
    return this.#wrappers.get(type)?.size ?? 0
  }
}
