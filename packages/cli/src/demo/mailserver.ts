/**
 * Mailserver checks over real loopback TCP with Waku v1: a client that was offline fetches what it
 * missed from a mailserver that archived live traffic, and a client whose first mailserver is dead
 * still gets its history from the next one.
 */
import { createNode, type ParleyNode } from '@parley/core'
import { loadCrypto, utf8ToBytes } from '@parley/crypto'
import {
  encodeEnvelope,
  open,
  seal,
  sealEnvelope,
  symKeyFromPassword,
  topicFromName,
  topicToHex,
} from '@parley/envelope'
import {
  historyClient,
  messageArchive,
  type Plugin,
  type ReceivedMessage,
  waku1Protocol,
} from '@parley/interfaces'
import { type Mailserver, type MailserverClient, mailserver, mailserverClient } from '@parley/mailserver'
import { waku1 } from '@parley/protocol-waku1'
import { memoryStore } from '@parley/store-memory'
import { sqliteStore } from '@parley/store-sqlite'
import { devp2p } from '@parley/transport-devp2p'
import { type DemoCheck, type DemoContext, expectThat } from './check.ts'
import { connect, enodeOf, STATUS_POW, v1Node, waitFor, withNodes } from './devp2p-nodes.ts'

const PASSWORD = 'parley-demo-mailserver'
const TOPIC = topicFromName('parley-demo-mailserver')
const TOPICS = [topicToHex(TOPIC)]
const TEXTS = ['sent while you were away', 'and this one too', 'the last one']
/** seconds the live envelopes of the history check stay alive */
const LIVE_TTL = 3

function mailserverNode(context: DemoContext, name: string, store: Plugin): ParleyNode {
  return createNode({
    name,
    transports: [devp2p({ host: '127.0.0.1', port: 0, clientId: `parley-demo/${name}` })],
    protocols: [waku1({ minPow: STATUS_POW })],
    store,
    services: { mailserver: mailserver({ password: PASSWORD }) },
    logger: context.logger,
  })
}

function clientNode(context: DemoContext, mailservers: string[]): ParleyNode {
  return createNode({
    name: 'demo-mailserver-client',
    transports: [devp2p({ host: '127.0.0.1', port: 0, clientId: 'parley-demo/mailserver-client' })],
    protocols: [waku1({ minPow: STATUS_POW })],
    // The default ping timeout (2 s): a dead mailserver refuses at once, a live one may be slow to answer.
    services: { history: mailserverClient({ mailservers, password: PASSWORD }) },
    logger: context.logger,
  })
}

function short(enode: string): string {
  return `${enode.slice(8, 16)}…${enode.slice(enode.indexOf('@'))}`
}

const history: DemoCheck = {
  name: 'mailserver.history',
  async run(context, signal) {
    const { secp256k1 } = await loadCrypto({ signal })
    const symKey = await symKeyFromPassword('parley-demo-history', { signal })
    const server = mailserverNode(context, 'demo-mailserver', sqliteStore({ path: ':memory:' }))
    const sender = v1Node(context, 'demo-mailserver-sender', 'waku1')
    return withNodes([server, sender], signal, async () => {
      await connect(sender, server, 'waku1', signal)
      // Live traffic, TTL 3 s: the mailserver archives it as it relays it; then it expires. (With 1 s, an
      // envelope reaching the mailserver a second late on a busy machine is refused as expired.)
      let expiry = 0
      for (const text of TEXTS) {
        const payload = seal({ payload: utf8ToBytes(text), symKey }, { secp256k1 })
        await sender.get(waku1Protocol).post({ topic: TOPICS[0]!, payload, ttl: LIVE_TTL }, { signal })
        expiry = Math.floor(Date.now() / 1000) + LIVE_TTL
      }
      const archive = server.get(messageArchive)
      await waitFor(async () => (await archive.count({}, { signal })) === TEXTS.length, signal)
      // Only now, with nothing left alive in any pool, does the client come online.
      await waitFor(() => Math.floor(Date.now() / 1000) > expiry, signal)
      const client = clientNode(context, [enodeOf(server)])
      return withNodes([client], signal, async () => {
        const received: ReceivedMessage[] = []
        await client
          .get(waku1Protocol)
          .subscribe({ topics: TOPICS, allowP2P: true }, (message) => received.push(message), { signal })
        const from = Math.floor(Date.now() / 1000) - 3600
        const result = await client.get(historyClient).requestHistory({ topics: TOPICS, from }, { signal })
        expectThat(result.envelopes === TEXTS.length, `history held ${result.envelopes} envelopes`)
        expectThat(result.mailserver === enodeOf(server), `served by ${result.mailserver}`)
        await waitFor(() => received.length === TEXTS.length, signal)
        const texts = received.map((message) => {
          expectThat(message.p2p === true, 'a history envelope arrived relayed, not from the mailserver')
          return new TextDecoder().decode(open(message.payload, { secp256k1, symKey }).payload)
        })
        expectThat(
          [...texts].sort().join('|') === [...TEXTS].sort().join('|'),
          `decrypted ${JSON.stringify(texts)}`,
        )
        return `${result.envelopes} missed envelopes (archived live, expired) fetched in ${result.pages} page and decrypted`
      })
    })
  },
}

const failover: DemoCheck = {
  name: 'mailserver.failover',
  async run(context, signal) {
    const dead = mailserverNode(context, 'demo-mailserver-dead', memoryStore())
    const live = mailserverNode(context, 'demo-mailserver-live', sqliteStore({ path: ':memory:' }))
    // The first mailserver ran once and stopped: its enode is known, its port is closed.
    const deadEnode = await withNodes([dead], signal, async () => enodeOf(dead))
    return withNodes([live], signal, async () => {
      const now = Math.floor(Date.now() / 1000)
      const archived = []
      for (const [index, text] of TEXTS.entries()) {
        const envelope = await sealEnvelope(
          { topic: TOPIC, data: utf8ToBytes(text), ttl: 60, pow: 0 },
          { now: now - 600 + index, signal },
        )
        archived.push(encodeEnvelope(envelope))
      }
      const added = await live.service<Mailserver>('mailserver').archive(archived, { signal })
      expectThat(added === TEXTS.length, `archived ${added} envelopes`)
      const client = clientNode(context, [deadEnode, enodeOf(live)])
      return withNodes([client], signal, async () => {
        const result = await client
          .get(historyClient)
          .requestHistory({ topics: TOPICS, from: now - 3600 }, { signal })
        expectThat(result.envelopes === TEXTS.length, `history held ${result.envelopes} envelopes`)
        expectThat(result.mailserver === enodeOf(live), `served by ${result.mailserver}, not the live one`)
        const status = client.service<MailserverClient>('history').mailservers()
        const first = status.find((entry) => entry.enode === deadEnode)
        expectThat(
          first !== undefined && first.failures > 0 && !first.active,
          'the dead one was not counted down',
        )
        return `first mailserver ${short(deadEnode)} dead (failures ${first.failures}); ${result.envelopes} envelopes served by ${short(result.mailserver)}`
      })
    })
  },
}

export const mailserverChecks: readonly DemoCheck[] = [history, failover]
