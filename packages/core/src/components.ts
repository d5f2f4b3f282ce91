import {
  type Capability,
  type ComponentLogger,
  type Components,
  capabilityName,
  type Logger,
  type Metrics,
  MissingCapabilityError,
  type ParleyEvents,
  type Plugin,
  type TypedEventTarget,
} from '@parley/interfaces'
import { providersOf } from './dependency-order.ts'

export interface NodeContext {
  readonly nodeName: string
  readonly logger: ComponentLogger
  readonly metrics: Metrics
  readonly events: TypedEventTarget<ParleyEvents>
  readonly plugins: readonly Plugin[]
  /** the service of a registered plugin, created on first use */
  resolve(plugin: Plugin): unknown
}

/**
 * What `plugin.create` receives. Lookups see the *other* plugins only, so a plugin that provides a
 * capability and also collects its providers (an aggregator) does not get itself.
 */
export function pluginComponents(plugin: Plugin, node: NodeContext, log: Logger): Components {
  const index = node.plugins.indexOf(plugin)
  const providers = (capability: Capability): number[] => {
    warnIfUndeclared(plugin, capability, log)
    return providersOf(node.plugins, capability, index)
  }
  const services = (capability: Capability): unknown[] =>
    providers(capability).map((provider) => node.resolve(node.plugins[provider] as Plugin))
  return {
    nodeName: node.nodeName,
    logger: node.logger,
    metrics: node.metrics,
    events: node.events,
    get: <T>(capability: Capability<T>): T => {
      const found = services(capability)
      if (found.length === 0) throw new MissingCapabilityError(plugin.name, capabilityName(capability))
      return found[0] as T
    },
    getAll: <T>(capability: Capability<T>) => services(capability) as T[],
    has: (capability) => providers(capability).length > 0,
  }
}

const warned = new WeakMap<Logger, Set<string>>()

// Start order only follows declared dependencies, so an undeclared provider may start later.
function warnIfUndeclared(plugin: Plugin, capability: Capability, log: Logger): void {
  if (plugin.needs?.includes(capability) || plugin.wants?.includes(capability)) return
  const seen = warned.get(log) ?? new Set<string>()
  warned.set(log, seen)
  const key = `${plugin.name}\u0000${capabilityName(capability)}`
  if (seen.has(key)) return
  seen.add(key)
  log.warn(
    'plugin %s uses capability %s without listing it in needs or wants; its provider may start later',
    plugin.name,
    capabilityName(capability),
  )
}
