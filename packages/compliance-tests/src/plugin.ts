import { type Capability, capabilityName, type Plugin } from '@parley/interfaces'
import { describe, expect, it } from 'vitest'
import { type FakeComponentsOptions, fakeComponents } from './fake-components.ts'
import { handlesLeftOpenBy } from './handles.ts'

export interface PluginSuiteOptions {
  /** real services for capabilities the plugin uses; its other needs and wants get do-nothing stubs */
  services?: FakeComponentsOptions['services']
}

function declared(plugin: Plugin): Capability[] {
  return [...(plugin.needs ?? []), ...(plugin.wants ?? [])]
}

function componentsFor(plugin: Plugin, options: PluginSuiteOptions) {
  return fakeComponents({ services: options.services, stubs: declared(plugin) })
}

/** The plugin descriptor contract, checked on descriptors from `factory`. */
export function pluginChecks(
  options: PluginSuiteOptions = {},
): Record<string, (factory: () => Plugin) => Promise<void>> {
  return {
    'has a non-empty name without whitespace': async (factory) => {
      const { name } = factory()
      expect(typeof name).toBe('string')
      expect(name).toMatch(/^\S+$/)
    },

    'declares provides, needs and wants as arrays of capability symbols': async (factory) => {
      const plugin = factory()
      for (const field of ['provides', 'needs', 'wants'] as const) {
        const list = plugin[field]
        if (list === undefined) continue
        expect(Array.isArray(list), `${field} is an array`).toBe(true)
        for (const token of list) expect(typeof token, `${field} holds symbols`).toBe('symbol')
      }
      expect(typeof plugin.create).toBe('function')
    },

    'create returns a service object synchronously': async (factory) => {
      const plugin = factory()
      const service: unknown = plugin.create(componentsFor(plugin, options))
      expect(typeof service === 'object' || typeof service === 'function', 'create returns an object').toBe(
        true,
      )
      expect(service).not.toBeNull()
      expect(typeof (service as { then?: unknown }).then, 'create must not return a promise').not.toBe(
        'function',
      )
    },

    'create only uses capabilities listed in needs or wants': async (factory) => {
      const plugin = factory()
      const components = componentsFor(plugin, options)
      plugin.create(components)
      const undeclared = components.missing.filter(
        (name) => !declared(plugin).some((token) => capabilityName(token) === name),
      )
      expect(undeclared, 'capabilities used without being declared').toEqual([])
    },

    'create makes a new service each time (one per node)': async (factory) => {
      const plugin = factory()
      const first = plugin.create(componentsFor(plugin, options))
      const second = plugin.create(componentsFor(plugin, options))
      expect(first).not.toBe(second)
    },

    'create opens no sockets and starts no timers': async (factory) => {
      const plugin = factory()
      const components = componentsFor(plugin, options)
      const opened = await handlesLeftOpenBy(() => plugin.create(components))
      expect(opened, 'handles opened by create').toEqual([])
    },
  }
}

/** Runs the descriptor checks on `factory()`; pass `options.services` for capabilities `create` calls into. */
export function pluginSuite(name: string, factory: () => Plugin, options: PluginSuiteOptions = {}): void {
  describe(`${name}: plugin descriptor compliance`, () => {
    for (const [title, check] of Object.entries(pluginChecks(options))) it(title, () => check(factory))
  })
}
