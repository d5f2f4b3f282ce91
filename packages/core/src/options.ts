import { type ComponentLogger, InvalidConfigError, type Plugin } from '@parley/interfaces'
import type { LoggerOptions } from '@parley/logger'

export interface NodeOptions {
  /** names the node in logs and errors (default `parley`) */
  name?: string
  /** all plugin groups are flattened into one list, in this order: */
  plugins?: Plugin[]
  transports?: Plugin[]
  discovery?: Plugin[]
  protocols?: Plugin[]
  store?: Plugin | Plugin[]
  /** keyed services; `node.service(key)` finds them by key as well as by plugin name */
  services?: Record<string, Plugin>
  /** options for `@parley/logger`'s `createLogger`, or a component logger (wrapped with redaction) */
  logger?: LoggerOptions | ComponentLogger
  metrics?: { prefix?: string; defaultMetrics?: boolean }
}

export interface FlattenedPlugins {
  readonly plugins: readonly Plugin[]
  /** `services` keys → their plugin */
  readonly aliases: ReadonlyMap<string, Plugin>
}

/** All plugins of `options` in registration order; throws `InvalidConfigError` for a malformed one. */
export function flattenPlugins(options: NodeOptions): FlattenedPlugins {
  const store =
    options.store === undefined ? [] : Array.isArray(options.store) ? options.store : [options.store]
  const services = Object.entries(options.services ?? {})
  const plugins = [
    ...(options.plugins ?? []),
    ...(options.transports ?? []),
    ...(options.discovery ?? []),
    ...(options.protocols ?? []),
    ...store,
    ...services.map(([, plugin]) => plugin),
  ]
  plugins.forEach(assertPlugin)
  return { plugins, aliases: new Map(services) }
}

function assertPlugin(plugin: unknown, index: number): asserts plugin is Plugin {
  const candidate = plugin as Partial<Plugin> | null | undefined
  if (typeof candidate?.name !== 'string' || candidate.name === '') {
    throw new InvalidConfigError(
      `Plugin #${index} has no name; a plugin is { name, create, provides?, needs? }`,
    )
  }
  if (typeof candidate.create !== 'function') {
    throw new InvalidConfigError(`Plugin "${candidate.name}" has no create function`)
  }
  for (const field of ['provides', 'needs', 'wants'] as const) {
    const list = candidate[field]
    if (list !== undefined && !(Array.isArray(list) && list.every((token) => typeof token === 'symbol'))) {
      throw new InvalidConfigError(
        `Plugin "${candidate.name}": ${field} must be an array of capability tokens`,
      )
    }
  }
}

export function isComponentLogger(value: unknown): value is ComponentLogger {
  return typeof (value as Partial<ComponentLogger> | undefined)?.forComponent === 'function'
}
