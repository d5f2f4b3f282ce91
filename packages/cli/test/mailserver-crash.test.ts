/**
 * Crash safety of a mailserver, as a real process: `parley start --mailserver` ingests envelopes a
 * feeding peer posts without pause, a second peer records what the mailserver relays onwards (what it
 * acknowledged), and the process is killed with SIGKILL mid-stream. Restarted on the same database,
 * it must open cleanly and serve every acknowledged envelope, for sqlite:// and level://.
 */
import { type ChildProcessByStdio, spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Readable } from 'node:stream'
import { setImmediate as nextTurn } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'
import { createNode, type ParleyNode } from '@parley/core'
import { topicFromName, topicToHex } from '@parley/envelope'
import { devp2pHost, waku1Protocol } from '@parley/interfaces'
import { waku1 } from '@parley/protocol-waku1'
import { devp2p } from '@parley/transport-devp2p'
import { afterEach, describe, expect, it } from 'vitest'
import { runCli } from './run.ts'

const PARLEY = fileURLToPath(new URL('./fixtures/parley.ts', import.meta.url))
const ENODE_LINE = /^enode: (enode:\/\/([0-9a-f]{128})@127\.0\.0\.1:\d+)$/m
const PASSWORD = 'parley crash archive'
const TOPIC = topicToHex(topicFromName('parley-crash'))
/** acknowledged envelopes to wait for before the kill */
const ACKNOWLEDGED_BEFORE_KILL = 150

interface Running {
  child: ChildProcessByStdio<null, Readable, Readable>
  enode: string
  nodeId: string
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
  stderr: () => string
}

const children: Running['child'][] = []
const nodes: ParleyNode[] = []
afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL')
  await Promise.all(nodes.splice(0).map((node) => node.stop()))
})

/** Spawns `parley start <argv>` and resolves once it prints its enode (the child uses the packages' dist/). */
function startProcess(argv: string[]): Promise<Running> {
  const child = spawn(process.execPath, [PARLEY, 'start', ...argv], { stdio: ['ignore', 'pipe', 'pipe'] })
  children.push(child)
  let stdout = ''
  let stderr = ''
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString()
  })
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  )
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString()
      const match = ENODE_LINE.exec(stdout)
      if (match === null) return
      child.stdout.removeAllListeners('data')
      child.stdout.resume()
      resolve({ child, enode: match[1] ?? '', nodeId: match[2] ?? '', exited, stderr: () => stderr })
    })
    child.on('error', reject)
    void exited.then(({ code }) =>
      reject(new Error(`parley start exited ${code} before listening: ${stderr}`)),
    )
  })
}

/** A Waku v1 node in this process, connected to `enode` (both Status handshakes done). */
async function peerOf(name: string, enode: string, serverId: string): Promise<ParleyNode> {
  const node = createNode({
    name,
    transports: [devp2p({ host: '127.0.0.1', port: 0 })],
    protocols: [waku1({ minPow: 0 })],
    logger: { level: 'silent' },
  })
  nodes.push(node)
  await node.start()
  await node.get(devp2pHost).dial(enode)
  await until(() => node.get(waku1Protocol).readyPeers().includes(serverId), `${name} ready`)
  return node
}

async function until(condition: () => boolean, what: string, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}

const STORES = {
  sqlite: (dir: string) => `sqlite://${join(dir, 'archive.sqlite3')}`,
  level: (dir: string) => `level://${join(dir, 'archive')}`,
} as const

describe('a mailserver killed with SIGKILL while it ingests', () => {
  for (const [scheme, url] of Object.entries(STORES)) {
    it(`restarts on its ${scheme}:// archive and serves every envelope it relayed onwards`, async () => {
      const dir = await mkdtemp(join(tmpdir(), `parley-crash-${scheme}-`))
      try {
        const argv = [
          '--protocol=waku1',
          '--listen-address=127.0.0.1',
          '--devp2p-port=0',
          '--log-level=warn',
          '--min-pow=0',
          '--mailserver',
          `--mailserver-password=${PASSWORD}`,
          `--store-message-db-url=${url(dir)}`,
          `--data-dir=${dir}`,
        ]
        const first = await startProcess(argv)
        const feeder = await peerOf('feeder', first.enode, first.nodeId)
        const recorder = await peerOf('recorder', first.enode, first.nodeId)
        // The recorder is connected to the mailserver only: what it receives, the mailserver relayed.
        const acknowledged = new Set<string>()
        await recorder
          .get(waku1Protocol)
          .subscribe({ topics: [TOPIC] }, (message) => acknowledged.add(message.hash))

        let feeding = true
        let posted = 0
        const feed = (async () => {
          while (feeding) {
            const payload = new TextEncoder().encode(`envelope ${posted}`)
            await feeder.get(waku1Protocol).post({ topic: TOPIC, payload, ttl: 300, pow: 0 })
            posted++
            await nextTurn()
          }
        })()
        try {
          await until(() => acknowledged.size >= ACKNOWLEDGED_BEFORE_KILL, 'acknowledged envelopes')
          // The feeder is still posting: the process dies with envelopes in every stage of ingestion.
          first.child.kill('SIGKILL')
          expect(await first.exited).toEqual({ code: null, signal: 'SIGKILL' })
        } finally {
          feeding = false
          await feed
        }
        // Once the connection is gone nothing more can arrive: the acknowledged set is final.
        await until(
          () => !recorder.get(waku1Protocol).readyPeers().includes(first.nodeId),
          'the recorder saw the mailserver go',
        )
        const acked = [...acknowledged]

        const second = await startProcess(argv)
        const history = await runCli([
          'history',
          `--mailnode=${second.enode}`,
          `--mailserver-password=${PASSWORD}`,
          `--topic=${TOPIC}`,
          '--from=1h',
          '--log-level=silent',
        ])
        expect({ code: history.code, stderr: history.stderr }).toEqual({ code: 0, stderr: '' })
        const served = new Set<string>(
          JSON.parse(history.stdout).messages.map((message: { hash: string }) => message.hash),
        )
        expect(
          acked.filter((hash) => !served.has(hash)),
          'acknowledged but lost',
        ).toEqual([])
        expect(served.size).toBeGreaterThanOrEqual(acked.length)
        expect(served.size, 'nothing served that was never posted').toBeLessThanOrEqual(posted)

        second.child.kill('SIGTERM')
        expect(await second.exited).toEqual({ code: 0, signal: null })
        expect(second.stderr(), 'the archive opened and closed cleanly').not.toMatch(/ (WARN|ERROR) /)
      } finally {
        await rm(dir, { recursive: true, force: true })
      }
    }, 60_000) // two process starts, 150 envelopes relayed and a history request, on a busy machine
  }
})
