import {
  type Capability,
  capabilityName,
  DependencyCycleError,
  DuplicatePluginError,
  MissingCapabilityError,
  type Plugin,
} from '@parley/interfaces'

/**
 * Checks a node's composition and returns its plugins in start order, or throws:
 * `DuplicatePluginError` when two plugins share a name, `MissingCapabilityError` when a plugin
 * needs a capability no *other* plugin provides, `DependencyCycleError` when providers depend on
 * each other in a circle.
 *
 * A plugin starts after every other plugin providing one of its `needs` or (present) `wants`.
 * Otherwise registration order is kept: among plugins ready to start, the earliest registered goes
 * first, so an unrelated plugin never moves.
 */
export function startOrder(plugins: readonly Plugin[]): Plugin[] {
  const seen = new Set<string>()
  for (const plugin of plugins) {
    if (seen.has(plugin.name)) throw new DuplicatePluginError(plugin.name)
    seen.add(plugin.name)
  }

  const dependencies = plugins.map((plugin, index) => {
    const providers = new Set<number>()
    for (const need of plugin.needs ?? []) {
      const found = providersOf(plugins, need, index)
      if (found.length === 0) throw new MissingCapabilityError(plugin.name, capabilityName(need))
      for (const provider of found) providers.add(provider)
    }
    for (const want of plugin.wants ?? []) {
      for (const provider of providersOf(plugins, want, index)) providers.add(provider)
    }
    return providers
  })

  const order: number[] = []
  const placed = new Set<number>()
  while (order.length < plugins.length) {
    const next = plugins.findIndex(
      (_plugin, index) =>
        !placed.has(index) && [...(dependencies[index] ?? [])].every((dependency) => placed.has(dependency)),
    )
    if (next === -1) throw new DependencyCycleError(findCycle(plugins, dependencies, placed))
    order.push(next)
    placed.add(next)
  }
  return order.map((index) => plugins[index] as Plugin)
}

/** Indices of the plugins other than `self` that provide `capability`, in registration order. */
export function providersOf(plugins: readonly Plugin[], capability: Capability, self = -1): number[] {
  const found: number[] = []
  plugins.forEach((plugin, index) => {
    if (index !== self && plugin.provides?.includes(capability)) found.push(index)
  })
  return found
}

/** Names along one cycle among the unplaced plugins, first name repeated at the end (`a -> b -> a`). */
function findCycle(plugins: readonly Plugin[], dependencies: Set<number>[], placed: Set<number>): string[] {
  // Every unplaced plugin waits for another unplaced one, so following waits must revisit a plugin.
  const path: number[] = []
  let current = plugins.findIndex((_plugin, index) => !placed.has(index))
  while (!path.includes(current)) {
    path.push(current)
    current = [...(dependencies[current] ?? [])].find((dependency) => !placed.has(dependency)) ?? current
  }
  return [...path.slice(path.indexOf(current)), current].map((index) => plugins[index]?.name ?? '?')
}
