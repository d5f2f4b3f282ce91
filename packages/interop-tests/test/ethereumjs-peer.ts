/**
 * "Their" peer: `@ethereumjs/devp2p`'s RLPx (EIP-8 handshake, framing, Hello, Snappy switch,
 * dispatch by message id) with a minimal `shh/6` and `waku/1` handler on top. The handler only
 * records what arrives and sends what a test asks. Tests build its payloads with ethereumjs's own
 * RLP (`ethereumjs-wire.ts`), so no framing or encoding on this side comes from `@parley`.
 *
 * The library registers a custom capability as `{ name, version, length, constructor }`: once the
 * Hellos match, its `Peer` calls `new constructor(version, peer, send)` and hands each message to
 * `_handleMessage(relativeCode, snappyDecompressedPayload)`. Sending is not compressed for us, so
 * `send` compresses when the remote speaks p2p v5, as the library's own `ETH` protocol does.
 */
import { EventEmitter } from 'node:events'
import type { Server } from 'node:net'
import { type Capabilities, genPrivateKey, type Peer, RLPx, type RLPxOptions } from '@ethereumjs/devp2p'
import { theirSnappy } from './ethereumjs-deps.ts'

export type TheirCapability = 'shh' | 'waku'

const VERSIONS: Record<TheirCapability, number> = { shh: 6, waku: 1 }

/** One message their handler received: the code relative to the capability, payload decompressed. */
export interface TheirPacket {
  peerId: string
  capability: TheirCapability
  code: number
  payload: Uint8Array
}

export interface TheirNodeInit {
  capabilities: TheirCapability[]
  /** what each capability sends as its Status once a peer connects */
  status: Partial<Record<TheirCapability, Uint8Array>>
}

/** generous: a handshake or a packet round trip runs slowly on a loaded machine */
const DEFAULT_WAIT_MS = 10_000

export class TheirNode {
  readonly rlpx: RLPx
  readonly id: string
  readonly packets: TheirPacket[] = []
  readonly errors: string[] = []
  readonly #events = new EventEmitter()
  readonly #senders = new Map<string, (code: number, data: Uint8Array) => void>()
  #port = 0

  constructor(init: TheirNodeInit) {
    const node = this
    const capabilities = init.capabilities.map((name): Capabilities => {
      // What their Peer instantiates per connection for this capability.
      class TheirHandler implements Labelled {
        readonly capability = name
        readonly #peerId: string
        constructor(_version: number, peer: Peer, send: (code: number, data: Uint8Array) => void) {
          this.#peerId = peerIdOf(peer)
          node.#senders.set(`${this.#peerId}/${name}`, send)
        }
        _handleMessage(code: number, payload: Uint8Array): void {
          node.#record({ peerId: this.#peerId, capability: name, code, payload })
        }
      }
      return {
        name,
        version: VERSIONS[name],
        length: 128,
        constructor: TheirHandler as unknown as Capabilities['constructor'],
      }
    })
    this.rlpx = new RLPx(genPrivateKey(), {
      capabilities,
      clientId: new TextEncoder().encode('ethereumjs-devp2p/interop'),
      // Their RLPx reads `common` only for custom crypto; without it the library's defaults apply.
      common: undefined as unknown as RLPxOptions['common'],
      maxPeers: 4,
    })
    this.id = hex(this.rlpx.id)
    this.rlpx.events.on('peer:added', (peer) => {
      for (const name of init.capabilities) {
        const status = init.status[name]
        if (status !== undefined && this.#senders.has(`${peerIdOf(peer)}/${name}`))
          this.send(peerIdOf(peer), name, 0, status)
      }
      this.#events.emit('change')
    })
    this.rlpx.events.on('peer:removed', (peer, reason) => {
      this.errors.push(`peer ${peerIdOf(peer).slice(0, 8)} removed, reason ${String(reason)}`)
      this.#events.emit('change')
    })
    this.rlpx.events.on('peer:error', (_peer, error) => {
      this.errors.push(`peer error: ${(error as Error).message}`)
      this.#events.emit('change')
    })
  }

  /** Listens on 127.0.0.1 on a free port. */
  async listen(): Promise<void> {
    const listening = new Promise<void>((resolve) => this.rlpx.events.once('listening', () => resolve()))
    this.rlpx.listen(0, '127.0.0.1')
    await listening
    // Their RLPx does not expose the port it bound; its server is a protected field.
    const server = (this.rlpx as unknown as { _server: Server | null })._server
    const address = server?.address()
    if (address === null || address === undefined || typeof address === 'string')
      throw new Error('their RLPx is not listening on TCP')
    this.#port = address.port
  }

  get enode(): string {
    return `enode://${this.id}@127.0.0.1:${this.#port}`
  }

  /** Their RLPx dials our node. */
  async dial(enode: string): Promise<void> {
    const match = /^enode:\/\/([0-9a-f]{128})@([\d.]+):(\d+)$/.exec(enode)
    if (match === null) throw new Error(`not an enode URL: ${enode}`)
    await this.rlpx.connect({ id: unhex(match[1]!), address: match[2]!, tcpPort: Number(match[3]) })
  }

  /** The connected peer with this id, once their handshake and Hello exchange are done. */
  async peer(peerId: string, ms = DEFAULT_WAIT_MS): Promise<Peer> {
    await this.#until(() => this.#connected(peerId) !== undefined, `their RLPx connected to ${peerId}`, ms)
    return this.#connected(peerId)!
  }

  /** The capabilities their Peer shared with `peerId`, with the absolute id offset it gave each. */
  shared(peer: Peer): string[] {
    return peer._protocols.map(({ protocol, offset }) => {
      const name = (protocol as unknown as Labelled).capability
      return `${name}/${VERSIONS[name]} @ 0x${offset.toString(16)}`
    })
  }

  /** Sends `payload` (RLP) as `code` of `capability`, Snappy-compressed when the peer speaks p2p v5. */
  send(peerId: string, capability: TheirCapability, code: number, payload: Uint8Array): void {
    const send = this.#senders.get(`${peerId}/${capability}`)
    if (send === undefined) throw new Error(`${capability} is not shared with ${peerId}`)
    const hello = this.#connected(peerId)?.getHelloMessage()
    send(
      code,
      hello !== undefined && hello !== null && hello.protocolVersion >= 5
        ? theirSnappy.compress(payload)
        : payload,
    )
  }

  /** The first received packet that matches, waiting for it if need be. */
  async received(match: Partial<Omit<TheirPacket, 'payload'>>, ms = DEFAULT_WAIT_MS): Promise<TheirPacket> {
    const find = () =>
      this.packets.find(
        (packet) =>
          (match.peerId === undefined || packet.peerId === match.peerId) &&
          (match.capability === undefined || packet.capability === match.capability) &&
          (match.code === undefined || packet.code === match.code),
      )
    await this.#until(() => find() !== undefined, `their peer received ${JSON.stringify(match)}`, ms)
    return find()!
  }

  async stop(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.rlpx.events.once('close', () => resolve()))
    this.rlpx.destroy()
    await closed
  }

  #connected(peerId: string): Peer | undefined {
    return this.rlpx.getPeers().find((peer) => peerIdOf(peer) === peerId)
  }

  #record(packet: TheirPacket): void {
    this.packets.push(packet)
    this.#events.emit('change')
  }

  /** Resolves once `check` holds; re-checks on every event of their node, never on a timer. */
  async #until(check: () => boolean, what: string, ms: number): Promise<void> {
    if (check()) return
    await new Promise<void>((resolve, reject) => {
      const onChange = () => {
        if (!check()) return
        clearTimeout(timer)
        this.#events.off('change', onChange)
        resolve()
      }
      const timer = setTimeout(() => {
        this.#events.off('change', onChange)
        const seen = this.packets.map((p) => `${p.capability}:${p.code}`).join(', ') || 'none'
        reject(
          new Error(`timed out: ${what}; packets seen: ${seen}; errors: ${this.errors.join('; ') || 'none'}`),
        )
      }, ms)
      this.#events.on('change', onChange)
    })
  }
}

/** Our handler instances say which capability they serve. */
interface Labelled {
  readonly capability: TheirCapability
}

export function peerIdOf(peer: Peer): string {
  const id = peer.getId()
  return id === null ? '' : hex(id)
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex')
}

function unhex(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, 'hex'))
}
