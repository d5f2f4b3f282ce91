/**
 * The two encryptions of the version-1 payload, end to end between two nodes over loopback TCP:
 * sender A seals, posts on its protocol, and receiver B's subscription opens what arrives.
 */
import type { ParleyNode } from '@parley/core'
import { equalBytes, generatePrivateKey, loadCrypto, utf8ToBytes } from '@parley/crypto'
import { type OpenOptions, open, seal, symKeyFromPassword, topicFromName, topicToHex } from '@parley/envelope'
import type { ReceivedMessage } from '@parley/interfaces'
import type { Devp2pProtocolName } from '../config/schema.ts'
import { type DemoCheck, type DemoContext, expectThat } from './check.ts'
import { connect, STATUS_POW, TTL, V1_CAPABILITIES, v1Node, waitFor, withNodes } from './devp2p-nodes.ts'

const TOPIC = topicToHex(topicFromName('parley-demo'))

/** True when `open` refuses `data` with these keys, as it must for the wrong key. */
function refused(data: Uint8Array, options: OpenOptions): boolean {
  try {
    open(data, options)
    return false
  } catch {
    return true
  }
}

/** Starts A and B, connects them, subscribes B to the topic, posts A's `data`, and returns what B got. */
async function sendOne(
  context: DemoContext,
  protocol: Devp2pProtocolName,
  what: string,
  data: Uint8Array,
  signal: AbortSignal,
  inspect: (message: ReceivedMessage) => string,
): Promise<string> {
  const nodes: ParleyNode[] = ['a', 'b'].map((name) =>
    v1Node(context, `demo-${protocol}-${what}-${name}`, protocol),
  )
  const [a, b] = nodes
  expectThat(a !== undefined && b !== undefined, 'two nodes')
  return withNodes(nodes, signal, async () => {
    const got: ReceivedMessage[] = []
    await b
      .get(V1_CAPABILITIES[protocol])
      .subscribe({ topics: [TOPIC] }, (message) => got.push(message), { signal })
    await connect(a, b, protocol, signal)
    const hash = await a
      .get(V1_CAPABILITIES[protocol])
      .post({ topic: TOPIC, payload: data, ttl: TTL, pow: STATUS_POW }, { signal })
    await waitFor(() => got.length > 0, signal)
    const [message] = got
    expectThat(message !== undefined && message.hash === hash, 'B received another envelope')
    return inspect(message)
  })
}

export function symmetricCheck(protocol: Devp2pProtocolName): DemoCheck {
  return {
    name: `${protocol}.symmetric`,
    async run(context, signal) {
      const { secp256k1 } = await loadCrypto({ secp256k1: context.config['secp256k1-provider'], signal })
      const password = 'parley demo password'
      const senderKey = await symKeyFromPassword(password, { signal })
      const text = `symmetric over ${protocol}`
      const data = seal({ payload: utf8ToBytes(text), symKey: senderKey }, { secp256k1 })
      // B derives the key on its own from the shared password, as a Status public chat does.
      const receiverKey = await symKeyFromPassword(password, { signal })
      const wrongKey = await symKeyFromPassword('another password', { signal })
      return sendOne(context, protocol, 'sym', data, signal, (message) => {
        const plain = new TextDecoder().decode(
          open(message.payload, { secp256k1, symKey: receiverKey }).payload,
        )
        expectThat(plain === text, `B decrypted ${JSON.stringify(plain)}`)
        expectThat(
          refused(message.payload, { secp256k1, symKey: wrongKey }),
          'a key from another password opened it',
        )
        return `A → B, AES-256-GCM key from symKeyFromPassword, opened by B; another password's key refused`
      })
    },
  }
}

export function asymmetricCheck(protocol: Devp2pProtocolName): DemoCheck {
  return {
    name: `${protocol}.asymmetric`,
    async run(context, signal) {
      const { secp256k1 } = await loadCrypto({ secp256k1: context.config['secp256k1-provider'], signal })
      const receiverKey = generatePrivateKey()
      const senderKey = generatePrivateKey()
      const text = `ECIES over ${protocol}`
      const data = seal(
        {
          payload: utf8ToBytes(text),
          publicKey: secp256k1.getPublicKey(receiverKey, false),
          sigKey: senderKey,
        },
        { secp256k1 },
      )
      return sendOne(context, protocol, 'asym', data, signal, (message) => {
        const opened = open(message.payload, { secp256k1, privateKey: receiverKey })
        const plain = new TextDecoder().decode(opened.payload)
        expectThat(plain === text, `B decrypted ${JSON.stringify(plain)}`)
        const signer = opened.signer
        expectThat(
          signer !== undefined && equalBytes(signer, secp256k1.getPublicKey(senderKey, false)),
          "the recovered signer is not A's key",
        )
        expectThat(
          refused(message.payload, { secp256k1, privateKey: generatePrivateKey() }),
          'another private key opened it',
        )
        return "A → B, ECIES to B's public key and signed by A; B opened it and recovered A as signer"
      })
    },
  }
}
