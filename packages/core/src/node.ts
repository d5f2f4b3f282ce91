import {
  AbortError,
  type AbortOptions,
  type Capability,
  type ComponentLogger,
  capabilityName,
  DependencyCycleError,
  DuplicatePluginError,
  type Gauge,
  isStartable,
  type Logger,
  MissingCapabilityError,
  NotFoundError,
  ParleyError,
  type ParleyEvents,
  type Plugin,
  PluginStartError,
  PluginStopError,
  type TypedEventTarget,
} from '@parley/interfaces'
import { createLogger, withRedaction } from '@parley/logger'
import { pluginComponents } from './components.ts'
import { PluginContainer } from './container.ts'
import { startOrder } from './dependency-order.ts'
import { createEventBus } from './event-bus.ts'
import { type PrometheusMetrics, prometheusMetrics } from './metrics.ts'
import { flattenPlugins, isComponentLogger, type NodeOptions } from './options.ts'

export type NodeStatus = 'stopped' | 'starting' | 'started' | 'stopping'

export interface ParleyNode {
  readonly name: string
  readonly status: NodeStatus
  readonly events: TypedEventTarget<ParleyEvents>
  /** backed by one prom-client registry per node (`metrics.registry`) */
  readonly metrics: PrometheusMetrics
  /** the node's redacting logger; plugins get the same one as `components.logger` */
  readonly logger: ComponentLogger
  /** plugin names: in start order once `start` has ordered them, registration order before */
  readonly plugins: readonly string[]
  /** the service of the first plugin (registration order) providing `capability`, created on demand */
  get<T>(capability: Capability<T>): T
  getAll<T>(capability: Capability<T>): T[]
  has(capability: Capability): boolean
  /** the service of the plugin with this name (or `services` key); throws `NotFoundError` */
  service<T = unknown>(pluginName: string): T
  start(options?: AbortOptions): Promise<void>
  stop(options?: AbortOptions): Promise<void>
}

/** Composes a node from plugin descriptors. Synchronous and free of I/O: plugins start in `start`. */
export function createNode(options: NodeOptions = {}): ParleyNode {
  return new Node(options)
}

class Node implements ParleyNode {
  readonly name: string
  readonly events = createEventBus<ParleyEvents>({
    onListenerError: (error, type) => this.#log.warn('a listener for %s threw', type, error),
  })
  readonly metrics: PrometheusMetrics
  readonly logger: ComponentLogger
  readonly #log: Logger
  readonly #registered: readonly Plugin[]
  readonly #aliases: ReadonlyMap<string, Plugin>
  readonly #container = new PluginContainer()
  readonly #startSeconds: Gauge
  #order: readonly Plugin[] | undefined
  /** plugins whose start succeeded, in start order */
  #running: Plugin[] = []
  #status: NodeStatus = 'stopped'
  /** the most recent start or stop still in progress; each waits for the one before it */
  #latest: { readonly kind: 'start' | 'stop'; readonly done: Promise<void> } | undefined
  #startController: AbortController | undefined

  constructor(options: NodeOptions) {
    this.name = options.name ?? 'parley'
    this.logger = isComponentLogger(options.logger)
      ? withRedaction(options.logger)
      : createLogger(options.logger)
    this.#log = this.logger.forComponent('node')
    this.metrics = prometheusMetrics(options.metrics)
    this.#startSeconds = this.metrics.gauge({
      name: 'parley_plugin_start_seconds',
      help: 'Seconds each plugin took to start, at its last start',
      labelNames: ['plugin'],
    })
    const { plugins, aliases } = flattenPlugins(options)
    this.#registered = plugins
    this.#aliases = aliases
    const context = {
      nodeName: this.name,
      logger: this.logger,
      metrics: this.metrics,
      events: this.events,
      plugins,
      resolve: (plugin: Plugin) => this.#container.resolve(plugin),
    }
    for (const plugin of plugins) {
      this.#container.register(plugin, () => plugin.create(pluginComponents(plugin, context, this.#log)))
    }
  }

  get status(): NodeStatus {
    return this.#status
  }

  get plugins(): readonly string[] {
    return (this.#order ?? this.#registered).map((plugin) => plugin.name)
  }

  get<T>(capability: Capability<T>): T {
    const services = this.#container.resolveAll(capability)
    if (services.length === 0) throw new MissingCapabilityError(this.name, capabilityName(capability))
    return services[0] as T
  }

  getAll<T>(capability: Capability<T>): T[] {
    return this.#container.resolveAll(capability)
  }

  has(capability: Capability): boolean {
    return this.#container.has(capability)
  }

  service<T = unknown>(pluginName: string): T {
    const plugin =
      this.#registered.find((candidate) => candidate.name === pluginName) ?? this.#aliases.get(pluginName)
    if (plugin === undefined)
      throw new NotFoundError(`Node "${this.name}" has no plugin named "${pluginName}"`)
    return this.#container.resolve(plugin) as T
  }

  /**
   * Calls made while the same transition is under way share it; a `stop` during a start aborts the
   * start; transitions queue, so the last call wins (`start(); stop()` ends stopped).
   */
  start(options: AbortOptions = {}): Promise<void> {
    const previous = this.#latest
    if (previous?.kind === 'start') return previous.done
    if (previous === undefined && this.#status === 'started') return Promise.resolve()
    if (options.signal?.aborted) return Promise.reject(toAbortError(options.signal))
    const controller = new AbortController()
    const signal = options.signal ? AbortSignal.any([options.signal, controller.signal]) : controller.signal
    this.#startController = controller
    if (previous === undefined) this.#status = 'starting'
    const run = (async () => {
      await previous?.done.catch(() => {})
      await this.#start(signal)
    })()
    return this.#track('start', run, () => {
      if (this.#startController === controller) this.#startController = undefined
    })
  }

  stop(options: AbortOptions = {}): Promise<void> {
    const previous = this.#latest
    if (previous?.kind === 'stop') return previous.done
    if (previous === undefined && this.#status === 'stopped') return Promise.resolve()
    if (options.signal?.aborted) return Promise.reject(toAbortError(options.signal))
    this.#startController?.abort(new AbortError(`Node "${this.name}" is stopping`))
    if (previous === undefined) this.#status = 'stopping'
    const run = (async () => {
      await previous?.done.catch(() => {})
      if (this.#status !== 'stopped') await this.#stop(options.signal)
    })()
    return this.#track('stop', run)
  }

  #track(kind: 'start' | 'stop', run: Promise<void>, cleanUp?: () => void): Promise<void> {
    const entry = {
      kind,
      done: run.finally(() => {
        cleanUp?.()
        if (this.#latest === entry) this.#latest = undefined
      }),
    }
    this.#latest = entry
    return entry.done
  }

  async #start(signal: AbortSignal): Promise<void> {
    const began = performance.now()
    this.#status = 'starting'
    let current: Plugin | undefined
    try {
      if (signal.aborted) throw toAbortError(signal)
      const order = startOrder(this.#registered)
      this.#order = order
      // Create every service first, so a `create` that throws leaves nothing to undo.
      for (const plugin of order) {
        current = plugin
        this.#container.resolve(plugin)
      }
      for (const plugin of order) {
        current = plugin
        await this.#startPlugin(plugin, signal)
        if (signal.aborted) throw toAbortError(signal)
      }
    } catch (error) {
      throw await this.#failStart(current, error, signal)
    }
    this.#status = 'started'
    const ms = performance.now() - began
    this.#log.info('node %s started %d plugins in %d ms', this.name, this.#running.length, Math.round(ms))
    this.events.safeDispatchEvent('node:start', { ms })
  }

  async #startPlugin(plugin: Plugin, signal: AbortSignal): Promise<void> {
    const service = this.#container.resolve(plugin)
    const began = performance.now()
    if (isStartable(service)) {
      try {
        await service.start({ signal })
      } catch (error) {
        // The plugin should have released what it acquired; stopping it too costs little.
        await Promise.resolve()
          .then(() => service.stop())
          .catch((stopError: unknown) =>
            this.#log.debug('stop after failed start of %s', plugin.name, stopError),
          )
        throw error
      }
    }
    this.#running.push(plugin)
    const ms = performance.now() - began
    this.#startSeconds.set(ms / 1000, { plugin: plugin.name })
    this.#log.debug('started %s in %d ms', plugin.name, Math.round(ms))
    this.events.safeDispatchEvent('plugin:start', { plugin: plugin.name, ms })
  }

  /** Undoes a failed start and returns the error `start` rejects with. */
  async #failStart(plugin: Plugin | undefined, error: unknown, signal: AbortSignal): Promise<unknown> {
    let failure: unknown
    if (signal.aborted) failure = error instanceof AbortError ? error : toAbortError(signal)
    else if (isCompositionError(error) || plugin === undefined) failure = error
    else failure = new PluginStartError(plugin.name, { cause: error })
    if (plugin !== undefined) {
      this.#log.error('plugin %s failed to start', plugin.name, error)
      this.events.safeDispatchEvent('plugin:error', { plugin: plugin.name, error: toError(error) })
    }
    await this.#stopRunning()
    this.#status = 'stopped'
    return failure
  }

  async #stop(signal: AbortSignal | undefined): Promise<void> {
    const began = performance.now()
    this.#status = 'stopping'
    const failures = await this.#stopRunning(signal)
    this.#status = 'stopped'
    const ms = performance.now() - began
    this.#log.info('node %s stopped in %d ms', this.name, Math.round(ms))
    this.events.safeDispatchEvent('node:stop', { ms })
    if (failures.length > 0) throw new PluginStopError(failures)
  }

  /** Stops running plugins in reverse start order; a failure is reported and the rest still stop. */
  async #stopRunning(signal?: AbortSignal): Promise<Array<{ plugin: string; error: unknown }>> {
    const failures: Array<{ plugin: string; error: unknown }> = []
    for (const plugin of [...this.#running].reverse()) {
      const service = this.#container.resolve(plugin)
      const began = performance.now()
      try {
        if (isStartable(service)) await service.stop(signal === undefined ? {} : { signal })
      } catch (error) {
        failures.push({ plugin: plugin.name, error })
        this.#log.error('plugin %s failed to stop', plugin.name, error)
        this.events.safeDispatchEvent('plugin:error', { plugin: plugin.name, error: toError(error) })
        continue
      } finally {
        this.#running = this.#running.filter((running) => running !== plugin)
      }
      this.events.safeDispatchEvent('plugin:stop', { plugin: plugin.name, ms: performance.now() - began })
    }
    return failures
  }
}

function isCompositionError(error: unknown): boolean {
  return (
    error instanceof MissingCapabilityError ||
    error instanceof DependencyCycleError ||
    error instanceof DuplicatePluginError
  )
}

function toAbortError(signal: AbortSignal): AbortError {
  return signal.reason instanceof AbortError
    ? signal.reason
    : new AbortError(undefined, { cause: signal.reason })
}

function toError(error: unknown): Error {
  return error instanceof Error ? error : new ParleyError(String(error))
}
