// tsyringe needs the Reflect metadata polyfill before it loads; this is the only place it is imported.
import 'reflect-metadata'
import { type Capability, DependencyCycleError, type Plugin } from '@parley/interfaces'
import { type DependencyContainer, instanceCachingFactory, container as rootContainer } from 'tsyringe'

/**
 * One node's tsyringe child container. Each plugin is registered under its own token with a cached
 * factory (so `create` runs at most once per node), and each capability it provides is registered
 * as a factory resolving to that plugin's service. Plugins never see the container or tsyringe.
 */
export class PluginContainer {
  readonly #container: DependencyContainer = rootContainer.createChildContainer()
  readonly #tokens = new Map<Plugin, symbol>()
  readonly #creating: string[] = []

  /** Registers `plugin`; `create` builds its service the first time anything resolves it. */
  register(plugin: Plugin, create: () => unknown): void {
    const token = Symbol(`parley:plugin:${plugin.name}`)
    this.#tokens.set(plugin, token)
    this.#container.register(token, {
      useFactory: instanceCachingFactory(() => this.#guardedCreate(plugin.name, create)),
    })
    for (const capability of plugin.provides ?? []) {
      this.#container.register(capability, { useFactory: (container) => container.resolve(token) })
    }
  }

  /** The service of `plugin`, created on first use. */
  resolve(plugin: Plugin): unknown {
    const token = this.#tokens.get(plugin)
    if (token === undefined)
      throw new TypeError(`Plugin "${plugin.name}" is not registered in this container`)
    return this.#container.resolve(token)
  }

  /** Services of every plugin providing `capability`, in registration order. */
  resolveAll<T>(capability: Capability<T>): T[] {
    return this.has(capability) ? this.#container.resolveAll<T>(capability) : []
  }

  has(capability: Capability): boolean {
    return this.#container.isRegistered(capability)
  }

  // A `create` that (directly or not) asks for its own service would recurse forever.
  #guardedCreate(name: string, create: () => unknown): unknown {
    if (this.#creating.includes(name)) {
      throw new DependencyCycleError([...this.#creating.slice(this.#creating.indexOf(name)), name])
    }
    this.#creating.push(name)
    try {
      return create()
    } finally {
      this.#creating.pop()
    }
  }
}
