// `pnpm start` in this folder (CI runs it): a node composed with the third-party heartbeat plugin.
import { createNode } from '@parley/core'
import { keyValueStore } from '@parley/interfaces'
import { memoryStore } from '@parley/store-memory'
import { heartbeat } from './index.ts'

const node = createNode({
  name: 'custom-plugin-example',
  logger: { level: 'warn' },
  store: memoryStore(),
  services: { heartbeat: heartbeat({ intervalMs: 20 }) },
})

const ticks: number[] = []
node.events.addEventListener('heartbeat:tick', (event) => ticks.push(event.detail.beats))

await node.start()
await new Promise((resolve) => setTimeout(resolve, 150))
await node.stop()

const stored = await node.get(keyValueStore).has(new TextEncoder().encode('heartbeat/beats'))
console.log(JSON.stringify({ example: 'custom-plugin', plugins: node.plugins, ticks: ticks.length, stored }))
if (ticks.length === 0 || !stored) process.exitCode = 1
