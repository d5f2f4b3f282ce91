import type { EventHandler, ListenerOptions, TypedEventTarget } from './events.ts'

export interface TypedEventEmitterOptions {
  /** Called with whatever a listener throws (or rejects with); by default such errors are dropped. */
  onListenerError?: (error: unknown, type: string) => void
}

interface Registration {
  readonly listener: EventHandler<Event>
  readonly capture: boolean
  readonly wrapper: (event: Event) => void
  readonly signal: AbortSignal | undefined
  readonly onAbort: () => void
}

/**
 * The one implementation of `TypedEventTarget` that plugins extend or hold (like js-libp2p's
 * `TypedEventEmitter`, it lives in the interfaces package so plugins need no other dependency).
 *
 * An `EventTarget` whose listeners can never hurt the dispatcher: each listener is wrapped, so an
 * exception (or a rejected promise) is handed to `onListenerError` instead of becoming an uncaught
 * exception, and the remaining listeners still run. It also counts listeners per type.
 */
export class TypedEventEmitter<EventMap extends object>
  extends EventTarget
  implements TypedEventTarget<EventMap>
{
  readonly #registrations = new Map<string, Registration[]>()
  readonly #onListenerError: (error: unknown, type: string) => void

  constructor(options: TypedEventEmitterOptions = {}) {
    super()
    this.#onListenerError = options.onListenerError ?? (() => {})
  }

  override addEventListener<K extends keyof EventMap & string>(
    type: K,
    listener: EventHandler<CustomEvent<EventMap[K]>> | null,
    options?: boolean | ListenerOptions,
  ): void {
    if (listener == null) return
    const handler = listener as EventHandler<Event>
    const { capture, once, signal } = normalize(options)
    if (signal?.aborted) return
    const list = this.#registrations.get(type) ?? []
    // EventTarget ignores a second registration of the same listener; so do we.
    if (list.some((entry) => entry.listener === handler && entry.capture === capture)) return
    const registration: Registration = {
      listener: handler,
      capture,
      signal,
      wrapper: (event) => {
        if (once) this.#forget(type, registration)
        this.#invoke(type, handler, event)
      },
      onAbort: () => this.#forget(type, registration),
    }
    list.push(registration)
    this.#registrations.set(type, list)
    signal?.addEventListener('abort', registration.onAbort, { once: true })
    super.addEventListener(type, registration.wrapper, { capture, once, signal })
  }

  override removeEventListener<K extends keyof EventMap & string>(
    type: K,
    listener?: EventHandler<CustomEvent<EventMap[K]>> | null,
    options?: boolean | Pick<ListenerOptions, 'capture'>,
  ): void {
    if (listener == null) return
    const { capture } = normalize(options)
    const registration = this.#registrations
      .get(type)
      ?.find((entry) => entry.listener === listener && entry.capture === capture)
    if (registration === undefined) return
    super.removeEventListener(type, registration.wrapper, { capture })
    this.#forget(type, registration)
  }

  safeDispatchEvent<K extends keyof EventMap & string>(type: K, detail: EventMap[K]): boolean {
    return this.dispatchEvent(new CustomEvent(type, { detail }))
  }

  listenerCount(type: keyof EventMap & string): number {
    return this.#registrations.get(type)?.length ?? 0
  }

  #invoke(type: string, listener: EventHandler<Event>, event: Event): void {
    try {
      const result: unknown =
        typeof listener === 'function' ? listener.call(this, event) : listener.handleEvent(event)
      if (isPromiseLike(result)) result.then(undefined, (error: unknown) => this.#report(error, type))
    } catch (error) {
      this.#report(error, type)
    }
  }

  #report(error: unknown, type: string): void {
    try {
      this.#onListenerError(error, type)
    } catch {
      // The error reporter itself failed; there is nowhere left to report to.
    }
  }

  #forget(type: string, registration: Registration): void {
    registration.signal?.removeEventListener('abort', registration.onAbort)
    const list = this.#registrations.get(type)
    if (list === undefined) return
    const remaining = list.filter((entry) => entry !== registration)
    if (remaining.length === 0) this.#registrations.delete(type)
    else this.#registrations.set(type, remaining)
  }
}

function normalize(options: boolean | ListenerOptions | undefined) {
  if (typeof options === 'boolean') return { capture: options, once: false, signal: undefined }
  return { capture: options?.capture === true, once: options?.once === true, signal: options?.signal }
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as PromiseLike<unknown> | undefined)?.then === 'function'
}
