/**
 * Waku v1 checks over real loopback TCP: a symmetric-key message, and envelopes a trusted peer sends
 * directly (p2p message, code 127), as a mailserver delivers history.
 */
import { bytesToHex, loadCrypto, utf8ToBytes } from '@parley/crypto'
import {
  encodeEnvelope,
  envelopeHash,
  open,
  seal,
  sealEnvelope,
  symKeyFromPassword,
  topicFromName,
  topicToHex,
} from '@parley/envelope'
import { devp2pHost, type ReceivedMessage, waku1Protocol } from '@parley/interfaces'
import { type DemoCheck, expectThat } from './check.ts'
import {
  connect,
  envelopesCounted,
  STATUS_POW,
  sleep,
  TTL,
  v1Node,
  waitFor,
  withNodes,
} from './devp2p-nodes.ts'
import { symmetricCheck } from './private-messages.ts'

/** Long enough for a packet on loopback to arrive and be handled: the wait for what must not happen. */
const SETTLE_MS = 150

const directP2p: DemoCheck = {
  name: 'waku1.direct-p2p',
  async run(context, signal) {
    const { secp256k1 } = await loadCrypto({ signal })
    const symKey = await symKeyFromPassword('history', { signal })
    const topic = topicFromName('parley-demo-history')
    // A receives (a Status client), B sends directly (a mailserver).
    const a = v1Node(context, 'demo-waku1-p2p-client', 'waku1')
    const b = v1Node(context, 'demo-waku1-p2p-server', 'waku1')
    return withNodes([a, b], signal, async () => {
      const aWaku = a.get(waku1Protocol)
      const direct: ReceivedMessage[] = []
      const relayedOnly: ReceivedMessage[] = []
      const topics = [topicToHex(topic)]
      await aWaku.subscribe({ topics, allowP2P: true }, (message) => direct.push(message), { signal })
      await aWaku.subscribe({ topics }, (message) => relayedOnly.push(message), { signal })
      await connect(a, b, 'waku1', signal)
      const aId = a.get(devp2pHost).nodeId
      const bId = b.get(devp2pHost).nodeId

      const text = 'an archived message'
      const data = seal({ payload: utf8ToBytes(text), symKey }, { secp256k1 })
      const envelope = await sealEnvelope({ topic, data, ttl: TTL, pow: STATUS_POW }, { signal })
      const hash = `0x${bytesToHex(envelopeHash(envelope))}`
      const send = () => b.get(waku1Protocol).sendP2PMessages(aId, [encodeEnvelope(envelope)], { signal })

      // Not trusted yet: A must ignore B's direct envelopes.
      // (a function, so that the assertion below does not narrow the length to 0 for the rest)
      const delivered = () => direct.length
      await send()
      await sleep(SETTLE_MS)
      expectThat(delivered() === 0, 'A took a p2p message from a peer it does not trust')

      aWaku.markTrustedPeer(bId)
      expectThat(aWaku.isTrustedPeer(bId), 'markTrustedPeer did not take')
      await send()
      await waitFor(() => delivered() > 0, signal)
      await sleep(SETTLE_MS)
      const [message] = direct
      expectThat(delivered() === 1 && message !== undefined, `A delivered it ${delivered()} times`)
      expectThat(message.hash === hash && message.p2p === true, 'A delivered it, but not as a p2p message')
      expectThat(relayedOnly.length === 0, 'a subscription without allowP2P received a p2p message')
      const plain = new TextDecoder().decode(open(message.payload, { secp256k1, symKey }).payload)
      expectThat(plain === text, `A decrypted ${JSON.stringify(plain)}`)
      const counted = await envelopesCounted(a, 'waku1', 'p2p')
      return `untrusted B ignored; trusted, its 127 packet reached only the allowP2P subscription (p2p ${counted})`
    })
  },
}

export const waku1Checks: readonly DemoCheck[] = [symmetricCheck('waku1'), directP2p]
