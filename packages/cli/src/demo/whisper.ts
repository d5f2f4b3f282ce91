/**
 * Whisper checks over real loopback TCP: an encrypted post relayed across a line of three nodes, a
 * node that drops (and counts) an envelope below its pow requirement, and the two encryptions.
 */
import { createNode } from '@parley/core'
import { loadCrypto, utf8ToBytes } from '@parley/crypto'
import {
  type Envelope,
  encodeEnvelopes,
  encodeWhisperStatus,
  fullBloom,
  open,
  seal,
  sealEnvelope,
  symKeyFromPassword,
  topicFromName,
  topicToHex,
  validateEnvelope,
  WhisperCode,
} from '@parley/envelope'
import {
  AbortError,
  type Devp2pPeer,
  devp2pHost,
  type ReceivedMessage,
  whisperProtocol,
} from '@parley/interfaces'
import { devp2p } from '@parley/transport-devp2p'
import { type DemoCheck, expectThat } from './check.ts'
import {
  enodeOf,
  envelopesCounted,
  GETH_POW,
  STATUS_POW,
  sleep,
  TTL,
  v1Node,
  waitFor,
  withNodes,
} from './devp2p-nodes.ts'
import { asymmetricCheck, symmetricCheck } from './private-messages.ts'

const relay: DemoCheck = {
  name: 'whisper.relay',
  async run(context, signal) {
    const { secp256k1 } = await loadCrypto({ signal })
    const symKey = await symKeyFromPassword('status', { signal })
    const topic = topicToHex(topicFromName('status'))
    const [a, b, c] = ['a', 'b', 'c'].map((name) => v1Node(context, `demo-whisper-${name}`, 'whisper'))
    expectThat(a !== undefined && b !== undefined && c !== undefined, 'three nodes')
    return withNodes([a, b, c], signal, async () => {
      const got: ReceivedMessage[] = []
      await c.get(whisperProtocol).subscribe({ topics: [topic] }, (message) => got.push(message), { signal })
      // A line: A–B and B–C. A never meets C, so C can only have it from B.
      await a.get(devp2pHost).dial(enodeOf(b), { signal })
      await c.get(devp2pHost).dial(enodeOf(b), { signal })
      const text = 'hello from A, via B'
      const data = seal({ payload: utf8ToBytes(text), symKey }, { secp256k1 })
      const hash = await a
        .get(whisperProtocol)
        .post({ topic, payload: data, ttl: TTL, pow: STATUS_POW }, { signal })
      await waitFor(() => got.length > 0, signal)
      // Give a duplicate (B relaying twice, or A's copy looping back) time to show up.
      await sleep(100)
      expectThat(got.length === 1, `C received the envelope ${got.length} times, not once`)
      const [message] = got
      expectThat(message !== undefined && message.hash === hash, 'C received another envelope')
      const cId = c.get(devp2pHost).nodeId
      const bId = b.get(devp2pHost).nodeId
      expectThat(message.from === bId, `C had it from ${message.from?.slice(0, 8)}, not from B`)
      expectThat(
        !a
          .get(devp2pHost)
          .peers()
          .some((peer) => peer.id === cId),
        'A and C are connected directly; the check needs a line',
      )
      const opened = open(message.payload, { secp256k1, symKey })
      const plain = new TextDecoder().decode(opened.payload)
      expectThat(plain === text, `C decrypted ${JSON.stringify(plain)}`)
      return `A → B → C on 127.0.0.1, once, pow ${message.pow?.toFixed(4)}, decrypted with symKeyFromPassword('status')`
    })
  },
}

/**
 * An envelope sealed for `target` pow that still falls short of `below`, so the rejection is
 * certain. The nonce search is deterministic, so each attempt seals different (random, 1 KiB) data.
 */
async function sealedBelow(target: number, below: number, signal: AbortSignal): Promise<Envelope> {
  const topic = topicFromName('status')
  for (let attempt = 0; attempt < 20; attempt++) {
    if (signal.aborted) throw new AbortError()
    const data = crypto.getRandomValues(new Uint8Array(1024))
    const envelope = await sealEnvelope({ topic, data, ttl: TTL, pow: target }, { signal })
    const verdict = validateEnvelope(envelope, { minPow: below })
    if (!verdict.ok && verdict.reason === 'low-pow') return envelope
  }
  throw new Error(`20 envelopes sealed at pow ${target} all reached ${below}`)
}

const rejectLowPow: DemoCheck = {
  name: 'whisper.reject-low-pow',
  async run(context, signal) {
    const strict = v1Node(context, 'demo-whisper-strict', 'whisper', GETH_POW)
    // A bare devp2p node speaking shh/6 by hand: a Whisper node would never send a peer an
    // envelope under the pow that peer asked for, so only a raw peer can test the refusal.
    const sender = createNode({
      name: 'demo-whisper-sender',
      transports: [devp2p({ host: '127.0.0.1', port: 0, clientId: 'parley-demo/raw-shh' })],
      logger: context.logger,
    })
    const raw: { peer?: Devp2pPeer; disconnected: boolean } = { disconnected: false }
    sender.get(devp2pHost).registerCapability({
      name: 'shh',
      version: 6,
      length: 128,
      onPeerConnect: (connected) => {
        raw.peer = connected
      },
      onMessage: () => {},
      onPeerDisconnect: () => {
        raw.disconnected = true
      },
    })
    return withNodes([strict, sender], signal, async () => {
      const accepted: string[] = []
      const topic = topicToHex(topicFromName('status'))
      await strict
        .get(whisperProtocol)
        .subscribe({ topics: [topic] }, (message) => accepted.push(message.hash))
      await sender.get(devp2pHost).dial(enodeOf(strict), { signal })
      await waitFor(() => raw.peer !== undefined, signal)
      const { peer } = raw
      expectThat(peer !== undefined, 'the strict node never opened shh/6')
      const status = encodeWhisperStatus({ pow: STATUS_POW, bloom: fullBloom(), isLightNode: false })
      await peer.send(WhisperCode.status, status, { signal })
      const cheap = await sealedBelow(STATUS_POW, GETH_POW, signal)
      await peer.send(WhisperCode.messages, encodeEnvelopes([cheap]), { signal })
      await waitFor(async () => (await envelopesCounted(strict, 'whisper', 'low-pow')) === 1, signal)
      // Still up: the same peer's envelope at the required pow goes through.
      const paid = await sealEnvelope(
        {
          topic: topicFromName('status'),
          data: utf8ToBytes('paid'),
          ttl: TTL,
          pow: GETH_POW,
        },
        { signal },
      )
      await peer.send(WhisperCode.messages, encodeEnvelopes([paid]), { signal })
      await waitFor(() => accepted.length === 1, signal)
      expectThat(strict.status === 'started' && !raw.disconnected, 'the strict node dropped the peer')
      expectThat(
        (await envelopesCounted(strict, 'whisper', 'low-pow')) === 1,
        'the cheap envelope was counted twice',
      )
      return `minPow ${GETH_POW} dropped a ${STATUS_POW} envelope (low-pow 1), then accepted one at ${GETH_POW}`
    })
  },
}

export const whisperChecks: readonly DemoCheck[] = [
  relay,
  rejectLowPow,
  symmetricCheck('whisper'),
  asymmetricCheck('whisper'),
]
