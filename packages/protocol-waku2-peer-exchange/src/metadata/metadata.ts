/**
 * `WakuMetadataService`: serves 66/WAKU2-METADATA and asks every newly connected peer for its cluster
 * and shards. A peer of another cluster, or one that names none, is disconnected (MUST on The Waku
 * Network, 64/network.md; nwaku does it on every cluster); shard differences never disconnect.
 */
import {
  AbortError,
  type AbortOptions,
  type Libp2pHost,
  type Logger,
  NotStartedError,
  type ParleyEvents,
  TypedEventEmitter,
  type TypedEventTarget,
} from '@parley/interfaces'
import { parsePubsubTopic } from '@parley/protocol-waku2'
import { lpStream } from 'it-length-prefixed-stream'
import { REQUEST_TIMEOUT_MS } from '../constants.ts'
import { hangUp, type Libp2pStream, openStream, resolvePeer } from '../host.ts'
import type { MetadataSettings } from './options.ts'
import {
  decodeWakuMetadata,
  encodeWakuMetadata,
  MAX_METADATA_SIZE,
  METADATA_CODEC,
  readWakuMetadata,
  type WakuMetadata,
} from './rpc.ts'

export interface WakuMetadataComponents {
  host: Libp2pHost
  logger: Logger
  /** the node's event bus: the host's `peer:connect` (overlay `libp2p`) starts each query */
  events: TypedEventTarget<ParleyEvents>
  /** the node's relay: when `shards` is not configured, its static-shard topics of our cluster are announced */
  relay?: { pubsubTopics(): string[] } | undefined
}

export interface MetadataEvents {
  /** a peer's metadata, learnt from its request or our query */
  'metadata:peer': { peer: string; metadata: WakuMetadata }
  /** a peer disconnected for its cluster: `reason` is `different cluster` or `no cluster` or `no metadata` */
  'metadata:rejected': { peer: string; reason: string; clusterId?: number }
}

export class WakuMetadataService extends TypedEventEmitter<MetadataEvents> {
  readonly #components: WakuMetadataComponents
  readonly #settings: MetadataSettings
  readonly #peers = new Map<string, WakuMetadata>()
  #shards: number[] | undefined
  #started = false
  #stopping = new AbortController()
  #starting: Promise<void> | undefined

  constructor(components: WakuMetadataComponents, settings: MetadataSettings) {
    super({ onListenerError: (error) => components.logger.warn('a metadata listener threw', error) })
    this.#components = components
    this.#settings = settings
    this.#shards = settings.shards === undefined ? undefined : [...settings.shards]
  }

  isStarted(): boolean {
    return this.#started
  }

  get clusterId(): number {
    return this.#settings.clusterId
  }

  /**
   * The shards announced: the configured (or set) ones, else the relay's static-shard topics of our
   * cluster, else none (66/WAKU2-METADATA: non-relay nodes should not announce shards).
   */
  get shards(): number[] {
    if (this.#shards !== undefined) return [...this.#shards]
    const shards = new Set<number>()
    for (const topic of this.#components.relay?.pubsubTopics() ?? []) {
      try {
        const parsed = parsePubsubTopic(topic)
        if (parsed.kind === 'static' && parsed.clusterId === this.#settings.clusterId)
          shards.add(parsed.shard)
      } catch {
        // Not a Waku pubsub topic: nothing to announce.
      }
    }
    return [...shards].sort((a, b) => a - b)
  }

  set shards(shards: readonly number[]) {
    this.#shards = [...shards]
  }

  /** What `peer` said about itself, when known. */
  peerMetadata(peer: string): WakuMetadata | undefined {
    return this.#peers.get(peer)
  }

  async start(options: AbortOptions = {}): Promise<void> {
    if (options.signal?.aborted) throw new AbortError('waku2 metadata start aborted')
    if (this.#started) return
    this.#starting ??= this.#start().finally(() => {
      this.#starting = undefined
    })
    await this.#starting
  }

  async #start(): Promise<void> {
    this.#stopping = new AbortController()
    const { host } = this.#components
    await host.handle(METADATA_CODEC, (stream, peer) => this.#serve(stream as Libp2pStream, peer))
    this.#components.events.addEventListener('peer:connect', this.#onConnect)
    this.#started = true
  }

  async stop(): Promise<void> {
    await this.#starting?.catch(() => {})
    if (!this.#started) return
    this.#started = false
    this.#stopping.abort(new AbortError('waku2 metadata stopped'))
    this.#components.events.removeEventListener('peer:connect', this.#onConnect)
    await this.#components.host.unhandle(METADATA_CODEC)
  }

  /** Asks `peer` (a connected peer id or a multiaddr ending in /p2p/<id>) for its metadata. */
  async query(peer: string, options: AbortOptions = {}): Promise<WakuMetadata> {
    if (!this.#started) throw new NotStartedError('waku2 metadata is not started')
    const signal = AbortSignal.any([
      options.signal ?? AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      this.#stopping.signal,
    ])
    const { host } = this.#components
    const id = await resolvePeer(host, peer, { signal })
    const stream = await openStream(host, id, METADATA_CODEC, { signal })
    try {
      const framed = lpStream(stream, { maxDataLength: MAX_METADATA_SIZE })
      await framed.write(encodeWakuMetadata(this.#own()), { signal })
      const metadata = decodeWakuMetadata((await framed.read({ signal })).subarray())
      await stream.close({ signal })
      this.#learn(id, metadata)
      return metadata
    } catch (error) {
      stream.abort(error instanceof Error ? error : new Error(String(error)))
      throw error
    }
  }

  #own(): WakuMetadata {
    return { clusterId: this.#settings.clusterId, shards: this.shards }
  }

  /** Answers a request with our metadata; the requester's own metadata is kept. */
  async #serve(stream: Libp2pStream, peer: string): Promise<void> {
    const signal = AbortSignal.any([AbortSignal.timeout(REQUEST_TIMEOUT_MS), this.#stopping.signal])
    const framed = lpStream(stream, { maxDataLength: MAX_METADATA_SIZE })
    try {
      const { metadata: request, unpacked } = readWakuMetadata((await framed.read({ signal })).subarray())
      // Answered in the request's form: js-waku cannot parse packed shards, nwaku reads only packed.
      await framed.write(encodeWakuMetadata(this.#own(), { packed: !unpacked }), { signal })
      await stream.close({ signal })
      this.#learn(peer, request)
    } catch (error) {
      // nwaku answers nothing to an unreadable request and closes the stream.
      this.#components.logger.debug('metadata request from %s failed: %s', peer, String(error))
      stream.abort(error instanceof Error ? error : new Error(String(error)))
    }
  }

  #learn(peer: string, metadata: WakuMetadata): void {
    this.#peers.set(peer, metadata)
    this.safeDispatchEvent('metadata:peer', { peer, metadata })
  }

  readonly #onConnect = (event: CustomEvent<ParleyEvents['peer:connect']>): void => {
    if (event.detail.overlay !== 'libp2p') return
    const peer = event.detail.id
    void this.query(peer).then(
      (metadata) => {
        if (metadata.clusterId === undefined) return this.#reject(peer, 'no cluster')
        if (metadata.clusterId !== this.#settings.clusterId)
          return this.#reject(peer, 'different cluster', metadata.clusterId)
      },
      (error: unknown) => {
        if (this.#stopping.signal.aborted) return
        this.#components.logger.debug('metadata query to %s failed: %s', peer, String(error))
        if (this.#settings.disconnectOnFailure) this.#reject(peer, 'no metadata')
      },
    )
  }

  #reject(peer: string, reason: string, clusterId?: number): void {
    this.#components.logger.info('disconnecting %s: %s', peer, reason)
    this.safeDispatchEvent('metadata:rejected', {
      peer,
      reason,
      ...(clusterId === undefined ? {} : { clusterId }),
    })
    if (!this.#settings.disconnect) return
    void hangUp(this.#components.host, peer)
      .then((closed) => {
        if (!closed) this.#components.logger.debug('cannot hang up %s: the host has no libp2p node', peer)
      })
      .catch((error: unknown) => this.#components.logger.debug('hang up %s failed: %s', peer, String(error)))
  }
}
