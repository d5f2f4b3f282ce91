/**
 * `shhext_requestMessages` on Whisper: a mailserver node holds an envelope from ten minutes ago
 * (sealed with a chat key, imported with `Mailserver.archive()`); a Whisper client node whose
 * mailserver client speaks `shh/6` fetches it over HTTP into an `allowP2P` shh filter.
 */
import { createNode, type ParleyNode } from '@parley/core'
import { loadCrypto, utf8ToBytes } from '@parley/crypto'
import { encodeEnvelope, hexToTopic, seal, sealEnvelope, symKeyFromPassword } from '@parley/envelope'
import { type Mailserver, mailserver, mailserverClient } from '@parley/mailserver'
import { whisper } from '@parley/protocol-whisper'
import { memoryStore } from '@parley/store-memory'
import { devp2p } from '@parley/transport-devp2p'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { jsonRpc, type RpcMessage } from '../src/index.ts'
import { call, enodeOf, hexOf, urlOf } from './helpers.ts'

const T = '0x5eedf00d'
const now = () => Math.floor(Date.now() / 1000)
let server: ParleyNode
let client: ParleyNode

beforeAll(async () => {
  server = createNode({
    name: 'shh-mailserver',
    transports: [devp2p({ port: 0, clientId: 'shh-mailserver' })],
    protocols: [whisper({ minPow: 0.002 })],
    store: memoryStore(),
    services: { mailserver: mailserver({ rateLimit: false }) },
    logger: { level: 'silent' },
  })
  client = createNode({
    name: 'shh-client',
    transports: [devp2p({ port: 0, clientId: 'shh-client' })],
    protocols: [whisper({ minPow: 0.002 })],
    services: {
      history: mailserverClient({
        mailservers: [`enode://${'ab'.repeat(64)}@127.0.0.1:1`],
        protocol: 'shh',
      }),
      rpc: jsonRpc({ port: 0 }),
    },
    logger: { level: 'silent' },
  })
  await server.start()
  await client.start()
  const { secp256k1 } = await loadCrypto()
  const data = seal(
    { payload: utf8ToBytes('from ten minutes ago'), symKey: await symKeyFromPassword('chat') },
    { secp256k1 },
  )
  const old = await sealEnvelope({ topic: hexToTopic(T), data, ttl: 60, pow: 0.002 }, { now: now() - 600 })
  await (server.service('mailserver') as Mailserver).archive([encodeEnvelope(old)])
})
afterAll(async () => {
  await client?.stop()
  await server?.stop()
})

describe('shhext_requestMessages', () => {
  it('fetches the history over shh/6 into an allowP2P shh filter', async () => {
    const url = urlOf(client)
    const chatKey = await call<string>(url, 'shh_generateSymKeyFromPassword', ['chat'])
    const filter = await call<string>(url, 'shh_newMessageFilter', [
      { symKeyID: chatKey, topics: [T], allowP2P: true },
    ])
    const mailKey = await call<string>(url, 'shh_generateSymKeyFromPassword', ['status-offline-inbox'])
    // The configured mailserver is unreachable: the named one is asked instead; `topic` is the old field.
    const requestId = await call<string>(url, 'shhext_requestMessages', [
      { mailServerPeer: enodeOf(server), symKeyID: mailKey, topic: T, from: now() - 3600 },
    ])
    expect(requestId).toMatch(/^0x[0-9a-f]{64}$/)
    const messages = await call<RpcMessage[]>(url, 'shh_getFilterMessages', [filter])
    expect(messages.map((m) => [m.payload, m.bool])).toEqual([[hexOf('from ten minutes ago'), true]])
    expect(await call(url, 'rpc_modules')).toMatchObject({ shh: '1.0', shhext: '1.0', parley: '1.0' })
  })
})
