/**
 * Runs the README's example plugin in a real node, so the documentation cannot drift from the code.
 * (`@parley/core` and `@parley/store-memory` resolve through the root: a devDependency here would
 * make a workspace cycle.)
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { createNode } from '@parley/core'
import { type Capability, keyValueStore, MissingCapabilityError, type Plugin } from '@parley/interfaces'
import { memoryStore } from '@parley/store-memory'
import { describe, expect, it } from 'vitest'

interface ExampleModule {
  greeter: Capability<{ greet(name: string): Promise<string> }>
  greeterPlugin(): Plugin
}

async function loadExample(): Promise<ExampleModule> {
  const source = /```ts\n([\s\S]*?)```/.exec(
    readFileSync(new URL('../README.md', import.meta.url), 'utf8'),
  )?.[1]
  if (source === undefined) throw new Error('the README has no ts example')
  const dir = mkdtempSync(join(tmpdir(), 'interfaces-readme-'))
  const file = join(dir, 'example.ts')
  writeFileSync(file, source)
  try {
    return (await import(/* @vite-ignore */ pathToFileURL(file).href)) as ExampleModule
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
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
