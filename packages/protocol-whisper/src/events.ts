import type {
  EventHandler,
  ListenerOptions,
  PrivacyProtocolEvents,
  TypedEventTarget,
} from '@parley/interfaces'

type Listener = EventHandler<Event>

/**
 * The protocol's own event target. Each listener runs inside a try/catch, so one that throws is
 * reported to `onListenerError` and never reaches the peer handler that dispatched the event.
 */
export class WhisperEvents extends EventTarget implements TypedEventTarget<PrivacyProtocolEvents> {
  readonly #wrappers = new Map<string, Map<Listener, (event: Event) => void>>()
  readonly #onListenerError: (error: unknown) => void

  constructor(onListenerError: (error: unknown) => void) {
    super()
    this.#onListenerError = onListenerError
  }

  override addEventListener<K extends keyof PrivacyProtocolEvents & string>(
    type: K,
    listener: EventHandler<CustomEvent<PrivacyProtocolEvents[K]>> | null,
    options?: boolean | ListenerOptions,
  ): void {
    if (listener == null) return
    const handler = listener as Listener
    const byListener = this.#wrappers.get(type) ?? new Map<Listener, (event: Event) => void>()
    const signal = typeof options === 'object' ? options.signal : undefined
    if (byListener.has(handler) || signal?.aborted === true) return
    const once = typeof options === 'object' && options.once === true
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

  override removeEventListener<K extends keyof PrivacyProtocolEvents & string>(
    type: K,
    listener?: EventHandler<CustomEvent<PrivacyProtocolEvents[K]>> | null,
  ): void {
    if (listener == null) return
    const byListener = this.#wrappers.get(type)
    const wrapper = byListener?.get(listener as Listener)
    if (wrapper === undefined) return
    byListener?.delete(listener as Listener)
    super.removeEventListener(type, wrapper)
  }

  safeDispatchEvent<K extends keyof PrivacyProtocolEvents & string>(
    type: K,
    detail: PrivacyProtocolEvents[K],
  ): boolean {
    return this.dispatchEvent(new CustomEvent(type, { detail }))
  }

  listenerCount(type: keyof PrivacyProtocolEvents & string): number {
    return this.#wrappers.get(type)?.size ?? 0
  }
}
