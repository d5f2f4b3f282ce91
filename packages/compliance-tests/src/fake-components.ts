import {
  type Capability,
  type ComponentLogger,
  type Components,
  type Counter,
  capabilityName,
  type EventHandler,
  type Gauge,
  type Histogram,
  type ListenerOptions,
  type Logger,
  type MetricLabels,
  type Metrics,
  MissingCapabilityError,
  type ParleyEvents,
  type TypedEventTarget,
} from '@parley/interfaces'

export interface FakeComponentsOptions {
  nodeName?: string
  /** real services to hand out, by capability */
  services?: ReadonlyArray<readonly [Capability, unknown]>
  /** capabilities answered with a do-nothing stub when `services` has none (e.g. a plugin's needs) */
  stubs?: readonly Capability[]
  /** defaults to a logger that records lines in `logs` */
  logger?: ComponentLogger
}

/** `Components` for testing a plugin without a node, plus what the plugin did with them. */
export interface FakeComponents extends Components {
  /** capabilities asked for that had neither a service nor a stub */
  readonly missing: string[]
  /** `namespace level message` lines written through the default logger */
  readonly logs: string[]
  /** values recorded through `metrics`, keyed `name{labels}` */
  readonly recorded: Map<string, number>
}

/**
 * Builds fake components: `get` returns the given service, else a stub for capabilities listed in
 * `stubs` (every method is a no-op returning undefined), else throws `MissingCapabilityError`.
 */
export function fakeComponents(options: FakeComponentsOptions = {}): FakeComponents {
  const services = new Map<Capability, unknown[]>()
  for (const [capability, service] of options.services ?? []) {
    services.set(capability, [...(services.get(capability) ?? []), service])
  }
  for (const capability of options.stubs ?? []) {
    if (!services.has(capability)) services.set(capability, [stub(capabilityName(capability))])
  }
  const missing: string[] = []
  const logs: string[] = []
  const recorded = new Map<string, number>()
  const lookup = (capability: Capability): unknown[] => {
    const found = services.get(capability) ?? []
    if (found.length === 0) missing.push(capabilityName(capability))
    return found
  }
  return {
    nodeName: options.nodeName ?? 'test-node',
    logger: options.logger ?? { forComponent: (name) => recordingLogger(`parley:${name}`, logs) },
    metrics: recordingMetrics(recorded),
    events: new FakeEvents(),
    get: <T>(capability: Capability<T>): T => {
      const [first] = lookup(capability)
      if (first === undefined)
        throw new MissingCapabilityError('plugin under test', capabilityName(capability))
      return first as T
    },
    getAll: <T>(capability: Capability<T>) => lookup(capability) as T[],
    has: (capability) => (services.get(capability)?.length ?? 0) > 0,
    missing,
    logs,
    recorded,
  }
}

/** An object whose every method does nothing; `then` is absent so it is not mistaken for a promise. */
function stub(name: string): unknown {
  return new Proxy(
    {},
    {
      get: (_target, property) => {
        if (property === 'then' || typeof property === 'symbol') return undefined
        if (property === 'toString') return () => `[stub ${name}]`
        return () => undefined
      },
    },
  )
}

function recordingLogger(namespace: string, lines: string[]): Logger {
  const write = (level: string) => (message: string) => {
    lines.push(`${namespace} ${level} ${message}`)
  }
  return Object.assign(write('debug'), {
    trace: write('trace'),
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    enabled: true,
    namespace,
    child: (name: string) => recordingLogger(`${namespace}:${name}`, lines),
  })
}

function recordingMetrics(recorded: Map<string, number>): Metrics {
  const key = (name: string, labels?: MetricLabels) =>
    labels === undefined ? name : `${name}{${Object.entries(labels).map(([k, v]) => `${k}="${v}"`)}}`
  const add = (name: string, labels: MetricLabels | undefined, value: number) =>
    recorded.set(key(name, labels), (recorded.get(key(name, labels)) ?? 0) + value)
  return {
    counter: ({ name }): Counter => ({ inc: (labels, value = 1) => add(name, labels, value) }),
    gauge: ({ name }): Gauge => ({
      set: (value, labels) => recorded.set(key(name, labels), value),
      inc: (labels, value = 1) => add(name, labels, value),
      dec: (labels, value = 1) => add(name, labels, -value),
    }),
    histogram: ({ name }): Histogram => ({
      observe: (_value, labels) => add(`${name}_count`, labels, 1),
      startTimer: (labels) => {
        const began = performance.now()
        return () => {
          add(`${name}_count`, labels, 1)
          return (performance.now() - began) / 1000
        }
      },
    }),
    expose: async () => [...recorded].map(([name, value]) => `${name} ${value}\n`).join(''),
    contentType: 'text/plain; version=0.0.4; charset=utf-8',
  }
}

type DomListener = Parameters<EventTarget['addEventListener']>[1]

/** A plain event target with the two extra methods of `TypedEventTarget`. */
class FakeEvents extends EventTarget implements TypedEventTarget<ParleyEvents> {
  readonly #counts = new Map<string, number>()

  // Counts are approximate (a listener added twice counts twice); fine for a fake.
  override addEventListener(
    type: string,
    listener: EventHandler<never> | null,
    options?: boolean | ListenerOptions,
  ) {
    if (listener == null) return
    this.#counts.set(type, (this.#counts.get(type) ?? 0) + 1)
    super.addEventListener(type, listener as unknown as DomListener, options)
  }

  override removeEventListener(
    type: string,
    listener?: EventHandler<never> | null,
    options?: boolean | Pick<ListenerOptions, 'capture'>,
  ) {
    if (listener == null) return
    this.#counts.set(type, Math.max(0, (this.#counts.get(type) ?? 0) - 1))
    super.removeEventListener(type, listener as unknown as DomListener, options)
  }

  safeDispatchEvent<K extends keyof ParleyEvents & string>(type: K, detail: ParleyEvents[K]): boolean {
    try {
      return this.dispatchEvent(new CustomEvent(type, { detail }))
    } catch {
      return false
    }
  }

  listenerCount(type: keyof ParleyEvents & string): number {
    return this.#counts.get(type) ?? 0
  }
}
