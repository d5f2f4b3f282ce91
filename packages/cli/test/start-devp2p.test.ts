import { connect } from 'node:net'
import { generatePrivateKey, hexToBytes, loadCrypto } from '@parley/crypto'
import { buildTree, serveTree } from '@parley/discovery-dns'
import { addressEntries, enrToText, signEnr } from '@parley/enr'
import { describe, expect, it } from 'vitest'
import { runCli, scrape, whileStarted } from './run.ts'

const ENODE_LINE = /^enode: (enode:\/\/([0-9a-f]{128})@127\.0\.0\.1:(\d+))$/m
const METRICS_LINE = /^metrics: (http:\/\/127\.0\.0\.1:\d+\/metrics)$/m
const LOCAL = [
  '--protocol',
  'whisper',
  '--devp2p-port',
  '0',
  '--listen-address',
  '127.0.0.1',
  '--log-level=silent',
]

function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port })
    socket.once('connect', () => {
      socket.destroy()
      resolve(false)
    })
    socket.once('error', () => resolve(true))
  })
}

/** Scrapes until `parley_devp2p_peers` reads `count`, for at most `ms`. */
async function untilPeers(metricsUrl: string, count: number, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms
  let last = ''
  while (Date.now() < deadline) {
    const { body } = await scrape(metricsUrl)
    last = /^parley_devp2p_peers(\{[^}]*\})? (\d+)$/m.exec(body)?.[2] ?? 'absent'
    if (last === String(count)) return
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  throw new Error(`parley_devp2p_peers is ${last}, not ${count}`)
}

describe('parley start --protocol whisper', () => {
  it('prints the enode once listening, with the node id, and frees the port on stop', async () => {
    let port = 0
    const result = await whileStarted(
      LOCAL,
      (stdout) => ENODE_LINE.test(stdout),
      async (stdout) => {
        port = Number(ENODE_LINE.exec(stdout)?.[3])
        expect(await refused(port)).toBe(false)
      },
    )
    expect(result.code).toBe(0)
    const [, , enodeId] = ENODE_LINE.exec(result.stdout) ?? []
    expect(result.stdout).toContain(`started, node id ${enodeId} (new key`)
    expect(result.stdout.match(/^enode: /gm)).toHaveLength(1)
    expect(result.stdout.trimEnd().split('\n').at(-1)).toBe('node "parley" stopped')
    expect(await refused(port)).toBe(true)
  })

  it('prints no enode without --protocol', async () => {
    const result = await whileStarted(
      ['--log-level=silent'],
      (stdout) => stdout.includes('started'),
      async () => {},
    )
    expect(result.stdout).not.toContain('enode')
  })

  it('connects to a --staticnode peer', async () => {
    await whileStarted(
      LOCAL,
      (stdout) => ENODE_LINE.test(stdout),
      async (first) => {
        const enode = ENODE_LINE.exec(first)?.[1] ?? ''
        await whileStarted(
          [...LOCAL, '--staticnode', enode, '--metrics-server', '--metrics-server-port=0'],
          (stdout) => METRICS_LINE.test(stdout),
          (stdout) => untilPeers(METRICS_LINE.exec(stdout)?.[1] ?? '', 1),
        )
      },
    )
  })

  it('runs Whisper and Waku v1 on one host; a Waku v1 node connects to it', async () => {
    const both = ['--protocol', 'whisper,waku1', ...LOCAL.slice(2)]
    await whileStarted(
      both,
      (stdout) => ENODE_LINE.test(stdout),
      async (first) => {
        expect(first).toMatch(/^protocols: whisper,waku1$/m)
        const enode = ENODE_LINE.exec(first)?.[1] ?? ''
        await whileStarted(
          [
            '--protocol=waku1',
            ...LOCAL.slice(2),
            '--staticnode',
            enode,
            '--metrics-server',
            '--metrics-server-port=0',
          ],
          (stdout) => METRICS_LINE.test(stdout),
          async (stdout) => {
            expect(stdout).toMatch(/^protocols: waku1$/m)
            await untilPeers(METRICS_LINE.exec(stdout)?.[1] ?? '', 1)
          },
        )
      },
    )
  })

  it('dials the nodes of a --dns-discovery-url tree', async () => {
    const { secp256k1: secp } = await loadCrypto()
    const key = JSON.parse((await runCli(['key', 'generate'])).stdout) as { privateKey: string }
    await whileStarted(
      LOCAL,
      (stdout) => ENODE_LINE.test(stdout),
      async (first) => {
        const port = Number(ENODE_LINE.exec(first)?.[3])
        const enr = enrToText(
          signEnr(
            { seq: 1, entries: addressEntries({ ip: '127.0.0.1', tcp: port, udp: port }) },
            hexToBytes(key.privateKey),
            secp,
          ),
        )
        const tree = buildTree(
          { enrs: [enr], links: [], seq: 1, domain: 'nodes.test.parley' },
          generatePrivateKey(),
          secp,
        )
        const server = await serveTree(tree.records, { address: '127.0.0.1', port: 0 })
        try {
          await whileStarted(
            [
              ...LOCAL,
              '--dns-discovery-url',
              tree.url,
              '--dns-discovery-name-server',
              `127.0.0.1:${server.port}`,
              '--metrics-server',
              '--metrics-server-port=0',
            ],
            (stdout) => METRICS_LINE.test(stdout),
            (stdout) => untilPeers(METRICS_LINE.exec(stdout)?.[1] ?? '', 1),
          )
        } finally {
          await server.close()
        }
      },
      { PARLEY_NODEKEY: key.privateKey },
    )
  })
})
