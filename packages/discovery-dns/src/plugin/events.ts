import type { EventHandler, ListenerOptions, TypedEventTarget } from '@parley/interfaces'

/**
 * A small typed `EventTarget` for the discovery service. Listeners are wrapped so that one that
 * throws neither reaches the dispatcher nor stops the others; `listenerCount` counts registrations.
 */
export class DiscoveryEvents<EventMap extends object>
  extends EventTarget
  implements TypedEventTarget<EventMap>
{
  readonly #wrappers = new Map<string, Map<EventHandler<never>, (event: Event) => void>>()

  override addEventListener<K extends keyof EventMap & string>(
    type: K,
    listener: EventHandler<CustomEvent<EventMap[K]>> | null,
    options?: boolean | ListenerOptions,
  ): void {
    if (listener == null) return
    const byListener = this.#wrappers.get(type) ?? new Map()
    if (byListener.has(listener)) return
    const once = typeof options === 'object' && options.once === true
    const signal = typeof options === 'object' ? options.signal : undefined
    if (signal?.aborted) return
    const wrapper = (event: Event): void => {
      if (once) this.removeEventListener(type, listener)
      try {
        if (typeof listener === 'function') listener(event as CustomEvent<EventMap[K]>)
        else listener.handleEvent(event as CustomEvent<EventMap[K]>)
      } catch {
        // A faulty listener must not break discovery or the other listeners.
      }
    }
    byListener.set(listener, wrapper)
    this.#wrappers.set(type, byListener)
    signal?.addEventListener('abort', () => this.removeEventListener(type, listener), { once: true })
    super.addEventListener(type, wrapper)
  }

  override removeEventListener<K extends keyof EventMap & string>(
    type: K,
    listener?: EventHandler<CustomEvent<EventMap[K]>> | null,
  ): void {
    if (listener == null) return
    const byListener = this.#wrappers.get(type)
    const wrapper = byListener?.get(listener)
    if (byListener === undefined || wrapper === undefined) return
    byListener.delete(listener)
    if (byListener.size === 0) this.#wrappers.delete(type)
    super.removeEventListener(type, wrapper)
  }

  safeDispatchEvent<K extends keyof EventMap & string>(type: K, detail: EventMap[K]): boolean {
    return this.dispatchEvent(new CustomEvent(type, { detail }))
  }

  listenerCount(type: keyof EventMap & string): number {
    return this.#wrappers.get(type)?.size ?? 0
  }
}
