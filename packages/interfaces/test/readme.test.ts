/**
 * Runs the README's example plugin in a real node, so the documentation cannot drift from the code.
 * (`@parley/core` and `@parley/store-memory` resolve through the root: a devDependency here would
 * make a workspace cycle.)
 */
import { createNode } from '@parley/core'
import { type Capability, keyValueStore, MissingCapabilityError, type Plugin } from '@parley/interfaces'
import { memoryStore } from '@parley/store-memory'
import { readmeExample, runExample } from '@parley/test-support'
import { describe, expect, it } from 'vitest'

interface ExampleModule {
  greeter: Capability<{ greet(name: string): Promise<string> }>
  greeterPlugin(): Plugin
}

async function loadExample(): Promise<ExampleModule> {
  const { module } = await runExample<ExampleModule>(readmeExample(new URL('../README.md', import.meta.url)))
  return module
}

describe('README example', () => {
  it('composes into a node and works through its capability', async () => {
    const { greeter, greeterPlugin } = await loadExample()
    const node = createNode({
      logger: { level: 'silent' },
      store: memoryStore(),
      services: { greeter: greeterPlugin() },
    })
    await node.start()
    expect(await node.get(greeter).greet('ada')).toBe('hello ada')
    expect(await node.get(keyValueStore).has(new TextEncoder().encode('greeted/ada'))).toBe(true)
    await node.stop()
  })

  it('is refused without a key-value store', async () => {
    const { greeterPlugin } = await loadExample()
    const node = createNode({ logger: { level: 'silent' }, services: { greeter: greeterPlugin() } })
    await expect(node.start()).rejects.toBeInstanceOf(MissingCapabilityError)
  })
})
