import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Messenger, MessengerEvents } from '@parley/chat'
import type { ParleyNode } from '@parley/core'
import { devp2pHost, waku1Protocol } from '@parley/interfaces'
import { describe, expect, it } from 'vitest'
import { chatServices } from '../src/chat/services.ts'
import { resolveConfig } from '../src/config/resolve.ts'
import { configSchema } from '../src/config/schema.ts'
import { composeNode, loggerFor } from '../src/node/compose.ts'
import { runCli } from './run.ts'

const PARLEY = fileURLToPath(new URL('./fixtures/parley.ts', import.meta.url))
const quiet = { write: () => true }

/** Bob: a node composed in this process as `parley chat --protocol waku1` composes it. */
async function bob(): Promise<{
  node: ParleyNode
  messenger: Messenger
  received: MessengerEvents['message:received'][]
}> {
  const flags = new Map(
    Object.entries({ protocol: ['waku1'], 'listen-address': ['127.0.0.1'], 'devp2p-port': ['0'] }),
  )
  const { values } = resolveConfig(configSchema, { flags })
  const logger = loggerFor({ ...values, 'log-level': 'error' }, quiet)
  const { node } = await composeNode(values, logger, { services: chatServices(values) })
  await node.start()
  const messenger = node.service<Messenger>('messenger')
  const received: MessengerEvents['message:received'][] = []
  messenger.addEventListener('message:received', ({ detail }) => received.push(detail))
  return { node, messenger, received }
}

async function until(check: () => boolean, what: string, output: () => string): Promise<void> {
  const deadline = Date.now() + 10_000
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; output:\n${output()}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

describe('parley chat, as a process with piped standard input', () => {
  it('talks one-to-one and in a public chat with another node, prints receipts, and quits on /quit', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'parley-chat-'))
    const argv = ['chat', '--protocol', 'waku1', '--listen-address', '127.0.0.1', '--devp2p-port', '0']
    const child = spawn(process.execPath, [PARLEY, ...argv, '--data-dir', dataDir], {
      stdio: ['pipe', 'pipe', 'pipe'],
    })
    // Only a hung child is killed, well after the slowest run: it starts and talks over the network.
    const timer = setTimeout(() => child.kill('SIGKILL'), 55_000)
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
    const output = () => `${stdout}\n--- stderr ---\n${stderr}`
    const send = (line: string) => child.stdin.write(`${line}\n`)
    const other = await bob()
    try {
      await until(() => /^chat key: 0x04[0-9a-f]{128}$/m.test(stdout), 'the chat key', output)
      const aliceKey = /^chat key: (0x04[0-9a-f]{128})$/m.exec(stdout)?.[1] ?? ''
      const enode = /^enode: (enode:\/\/\S+)$/m.exec(stdout)?.[1] ?? ''
      const bobKey = other.messenger.publicKey
      await other.node.get(devp2pHost).dial(enode)
      await until(
        () => other.node.get(waku1Protocol).readyPeers().length === 1,
        'the waku/1 handshake',
        output,
      )

      // Bob writes first; the process prints it under Bob's chat.
      await other.messenger.startOneToOne(aliceKey)
      const fromBob = await other.messenger.sendText(aliceKey, 'hello alice')
      await until(
        () => stdout.includes(`received ${bobKey} ${fromBob.id} ${bobKey}: hello alice`),
        'bob',
        output,
      )

      // Alice answers with /msg: sent, then Bob's MVDS acknowledgement as a receipt.
      send(`/msg ${bobKey} hello bob`)
      await until(() => /^sent 0x04\S+ (0x[0-9a-f]{64})$/m.test(stdout), 'the sent line', output)
      const sentId = /^sent 0x04\S+ (0x[0-9a-f]{64})$/m.exec(stdout)?.[1]
      await until(
        () => other.received.some((m) => m.id === sentId && m.text === 'hello bob'),
        'to bob',
        output,
      )
      await until(() => stdout.includes(`delivered ${bobKey} ${sentId} to `), 'the receipt', output)

      // A public chat: /join makes it current; a plain line goes there.
      await other.messenger.joinPublic('parley-chat-test')
      send('/join parley-chat-test')
      send('hello room')
      await until(
        () => other.received.some((m) => m.chatId === 'parley-chat-test'),
        'the room message',
        output,
      )
      send('/bogus')
      await until(() => stderr.includes('error: unknown command /bogus'), 'the error line', output)
      send('/chats')
      await until(
        () => stdout.includes('* parley-chat-test public "parley-chat-test" members 0'),
        '/chats',
        output,
      )
      send('/quit')
      const code = await exited
      expect(code, output()).toBe(0)
      expect(stdout).toMatch(/node "parley" stopped\n$/)
      expect(existsSync(join(dataDir, 'nodekey')) && existsSync(join(dataDir, 'chat.sqlite3'))).toBe(true)
    } finally {
      clearTimeout(timer)
      child.kill('SIGKILL')
      await other.node.stop()
      await rm(dataDir, { recursive: true, force: true })
    }
  }, 60_000)

  it('refuses more than one protocol, and a bridge', async () => {
    const both = await runCli(['chat', '--protocol', 'whisper,waku1'])
    expect([both.code, both.stderr]).toEqual([2, expect.stringMatching(/one protocol.*not whisper,waku1/)])
    const none = await runCli(['chat'])
    expect(none.stderr).toMatch(/give --protocol whisper, waku1 or waku2\n/)
  })
})
