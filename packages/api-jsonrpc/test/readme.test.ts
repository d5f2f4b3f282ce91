import { execFile } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { promisify } from 'node:util'
import type { ParleyNode } from '@parley/core'
import { commentedOutput, readmeExample, runExample } from '@parley/test-support'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { rpcNode, urlOf } from './helpers.ts'

let node: ParleyNode
beforeAll(async () => {
  node = rpcNode('readme')
  await node.start()
})
afterAll(async () => node.stop())

describe('README', () => {
  it("runs the curl session as written (a node's filter sees its own post)", async () => {
    const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8')
    const script = /```sh\n([\s\S]*?)```/.exec(readme)?.[1]
    expect(script).toBeDefined()
    const { stdout } = await promisify(execFile)('bash', [
      '-c',
      script!.replace('http://127.0.0.1:8545/', urlOf(node)),
    ])
    const lines = stdout.trim().split('\n')
    expect(JSON.parse(lines[0]!)).toEqual({ jsonrpc: '2.0', id: 1, result: '6.0' })
    expect(JSON.parse(lines[1]!).result).toMatch(/^0x[0-9a-f]{64}$/) // the post's hash
    const messages = JSON.parse(lines[2]!).result
    expect(messages).toMatchObject([{ ttl: 20, topic: '0xcd423760', payload: '0x68656c6c6f' }])
  })

  it('runs the WebSocket example as written and prints what its comments say', async () => {
    const example = readmeExample(new URL('../README.md', import.meta.url), {
      after: '## WebSocket and subscriptions',
    })
    const { lines } = await runExample(example)
    expect(commentedOutput(example)).toEqual(['shh_subscription', '0x68656c6c6f'])
    expect(lines).toEqual(commentedOutput(example))
  })
})
