import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createNode, type ParleyNode } from '@parley/core'
import { bytesToHex } from '@parley/crypto'
import { encodeEnvelope, envelopeHash, sealEnvelope, topicFromName } from '@parley/envelope'
import { devp2pHost } from '@parley/interfaces'
import { type Mailserver, mailserver } from '@parley/mailserver'
import { waku1 } from '@parley/protocol-waku1'
import { memoryStore } from '@parley/store-memory'
import { devp2p } from '@parley/transport-devp2p'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseRetention } from '../src/config/retention.ts'
import { runCli, whileStarted } from './run.ts'
import { postVia } from './v1-peer.ts'

const LOCAL = ['--listen-address=127.0.0.1', '--devp2p-port=0', '--log-level=silent']
const PASSWORD = 'parley test archive'

describe('parley history', () => {
  let server: ParleyNode
  let enode = ''
  let archivedHash = ''
  const now = Math.floor(Date.now() / 1000)

  beforeAll(async () => {
    server = createNode({
      name: 'history-server',
      transports: [devp2p({ host: '127.0.0.1', port: 0 })],
      protocols: [waku1()],
      store: memoryStore(),
      services: { mailserver: mailserver({ password: PASSWORD }) },
      logger: { level: 'silent' },
    })
    await server.start()
    enode = server.get(devp2pHost).enode ?? ''
    const topic = topicFromName('status')
    const missed = await sealEnvelope(
      { topic, data: Uint8Array.of(1, 2, 3), ttl: 60, pow: 0 },
      { now: now - 600 },
    )
    archivedHash = `0x${bytesToHex(envelopeHash(missed))}`
    await server.service<Mailserver>('mailserver').archive([encodeEnvelope(missed)])
  })
  afterAll(async () => {
    await server.stop()
  })

  it('fetches the envelopes of a topic from a --mailnode with the --mailserver-password', async () => {
    const { code, stdout, stderr } = await runCli([
      'history',
      `--mailnode=${enode}`,
      `--mailserver-password=${PASSWORD}`,
      '--topic=status,0x00000000',
      '--from=1h',
      '--log-level=silent',
    ])
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' })
    const result = JSON.parse(stdout)
    expect(result).toMatchObject({ envelopes: 1, mailserver: enode, topics: ['0xcd423760', '0x00000000'] })
    expect(result.to - result.from).toBe(3600)
    expect(result.messages).toEqual([
      { hash: archivedHash, topic: '0xcd423760', sent: now - 600, ttl: 60, size: 23 },
    ])
  })

  it('refuses a call without --mailnode or --topic, or with a bad time, exit 2', async () => {
    const cases: Array<[string[], string]> = [
      [['--topic=status'], 'parley: parley history needs a mailserver: --mailnode <enode>\n'],
      [[`--mailnode=${enode}`], 'parley: parley history needs --topic\n'],
      [
        [`--mailnode=${enode}`, '--topic=status', '--from=yesterday'],
        'parley: flag --from: expected unix seconds or a duration such as 24h, got "yesterday"\n',
      ],
    ]
    for (const [argv, stderr] of cases)
      expect(await runCli(['history', ...argv])).toMatchObject({ code: 2, stderr })
  })
})

describe('parley start --mailserver', () => {
  it('archives what it relays and serves it to requests sealed with its password', async () => {
    await whileStarted(
      ['--protocol=waku1', ...LOCAL, '--mailserver', `--mailserver-password=${PASSWORD}`],
      (stdout) => /^enode: /m.test(stdout),
      async (stdout) => {
        const served = /^enode: (\S+)$/m.exec(stdout)?.[1] ?? ''
        const hash = await postVia(served)
        const result = await untilFetched(served, 1)
        expect(result.mailserver).toBe(served)
        expect(result.messages.map((message: { hash: string }) => message.hash)).toEqual([hash])
      },
    )
  })

  it('keeps its archive across runs in a level:// store', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'parley-cli-level-'))
    try {
      const server = [
        '--protocol=waku1',
        ...LOCAL,
        '--mailserver',
        `--mailserver-password=${PASSWORD}`,
        `--store-message-db-url=level://${join(dir, 'archive')}`,
        `--data-dir=${dir}`,
      ]
      const enodeLine = /^enode: (\S+)$/m
      let hash = ''
      await whileStarted(
        server,
        (stdout) => enodeLine.test(stdout),
        async (stdout) => {
          const served = enodeLine.exec(stdout)?.[1] ?? ''
          hash = await postVia(served)
          // Stop only once it is archived: the next run must find it on disk.
          await untilFetched(served, 1)
        },
      )
      await whileStarted(
        server,
        (stdout) => enodeLine.test(stdout),
        async (stdout) => {
          const result = await untilFetched(enodeLine.exec(stdout)?.[1] ?? '', 1)
          expect(result.messages.map((message: { hash: string }) => message.hash)).toEqual([hash])
        },
      )
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('warns that an archive in memory:// is lost on exit', async () => {
    const argv = ['--protocol=waku1', '--listen-address=127.0.0.1', '--devp2p-port=0', '--log-level=warn']
    const started = (stdout: string) => stdout.includes('started')
    const inMemory = await whileStarted([...argv, '--mailserver'], started, async () => {})
    expect(inMemory.stderr).toMatch(/WARN parley:cli the mailserver archive is in memory and lost on exit/)
    const relayOnly = await whileStarted(argv, started, async () => {})
    expect(relayOnly.stderr).not.toContain('mailserver archive')
  })

  it('needs a protocol, as --mailnode does', async () => {
    expect(await runCli(['start', '--mailserver', `--mailnode=${enodeOfKeyOne()}`])).toMatchObject({
      code: 2,
      stderr: 'parley: mailserver and mailnode need --protocol whisper or waku1\n',
    })
  })
})

describe('store-message-retention-policy', () => {
  it("reads nwaku's forms, joined by ;", () => {
    expect(parseRetention('time:2592000')).toEqual({ ok: true, value: { maxAgeSeconds: 2592000 } })
    expect(parseRetention('capacity:50000; size:10GB')).toEqual({
      ok: true,
      value: { maxCount: 50000, maxBytes: 10e9 },
    })
    expect(parseRetention('size:512MiB')).toEqual({ ok: true, value: { maxBytes: 512 * 2 ** 20 } })
    expect(parseRetention('none')).toEqual({ ok: true, value: {} })
  })

  it('refuses anything else, naming the part', async () => {
    for (const [text, reason] of [
      ['days:3', '"days:3": expected time:<seconds>, capacity:<count> or size:<n><unit>'],
      ['size:3XB', '"size:3XB": unknown unit "XB"'],
      ['time:0', '"time:0": expected a positive amount'],
      ['time:60;time:70', 'time is given twice'],
      ['time:60h', '"time:60h": unknown unit "h"'],
    ]) {
      expect(parseRetention(String(text))).toEqual({ ok: false, reason })
    }
    const { code, stderr } = await runCli(['dumpconfig', '--store-message-retention-policy=forever'])
    expect(code).toBe(2)
    expect(stderr).toContain(
      'store-message-retention-policy from flag --store-message-retention-policy: "forever"',
    )
  })
})

/**
 * `parley history` of `status` from `mailnode`, asked again until it holds `count` envelopes (10 s at
 * most: the server archives as it relays, which a busy machine may take a while to get to).
 */
async function untilFetched(mailnode: string, count: number) {
  const argv = [
    'history',
    `--mailnode=${mailnode}`,
    `--mailserver-password=${PASSWORD}`,
    '--topic=status',
    '--log-level=silent',
  ]
  const deadline = Date.now() + 10_000
  let result = JSON.parse((await runCli(argv)).stdout)
  while (result.envelopes !== count && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50))
    result = JSON.parse((await runCli(argv)).stdout)
  }
  expect(result.envelopes).toBe(count)
  return result
}

/** The enode of private key 1 on 127.0.0.1 (a valid URL; nothing listens there). */
function enodeOfKeyOne(): string {
  return 'enode://79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8@127.0.0.1:30303'
}
