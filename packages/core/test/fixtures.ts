import {
  AbortError,
  type AbortOptions,
  type Capability,
  type Components,
  type Plugin,
} from '@parley/interfaces'

/** A journal of lifecycle calls shared by the plugins of one test: `create:a`, `start:a`, `stop:a`. */
export type Journal = string[]

export interface ProbeInit {
  provides?: Capability[]
  needs?: Capability[]
  wants?: Capability[]
  /** what `start` does after journaling (default: nothing) */
  onStart?: (options: AbortOptions) => Promise<void> | void
  onStop?: () => Promise<void> | void
  /** a service without start/stop */
  startable?: boolean
}

export class Probe {
  readonly name: string
  readonly components: Components
  readonly #journal: Journal
  readonly #init: ProbeInit
  started = false

  constructor(name: string, components: Components, journal: Journal, init: ProbeInit) {
    this.name = name
    this.components = components
    this.#journal = journal
    this.#init = init
  }

  async start(options: AbortOptions = {}): Promise<void> {
    this.#journal.push(`start:${this.name}`)
    await this.#init.onStart?.(options)
    this.started = true
  }

  async stop(): Promise<void> {
    this.#journal.push(`stop:${this.name}`)
    await this.#init.onStop?.()
    this.started = false
  }
}

/** A plugin whose service journals its lifecycle. */
export function probe(
  name: string,
  journal: Journal,
  init: ProbeInit = {},
): Plugin<Probe | { name: string }> {
  return {
    name,
    provides: init.provides ?? [],
    needs: init.needs ?? [],
    wants: init.wants ?? [],
    create: (components) => {
      journal.push(`create:${name}`)
      return init.startable === false ? { name } : new Probe(name, components, journal, init)
    },
  }
}

/** Resolves when `signal` aborts, rejecting with AbortError: a start that honours its signal. */
export function untilAborted(options: AbortOptions): Promise<never> {
  return new Promise((_resolve, reject) => {
    const signal = options.signal
    if (signal === undefined) return
    const fail = () => reject(new AbortError())
    if (signal.aborted) fail()
    else signal.addEventListener('abort', fail, { once: true })
  })
}
