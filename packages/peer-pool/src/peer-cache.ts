import { type AbortOptions, DecodeError, type KeyValueStore } from '@parley/interfaces'

/** A peer the pool once connected to, remembered per topic so a restart needs no discovery. */
export interface CachedPeer {
  id: string
  enode: string
  capabilities?: string[]
  /** ms since the epoch of the last successful connection */
  lastConnected: number
}

const PREFIX = 'peer-pool/'
const encoder = new TextEncoder()
const decoder = new TextDecoder()

function key(topic: string, id: string): Uint8Array {
  return encoder.encode(`${PREFIX}${topic}/${id}`)
}

/**
 * The peer cache in a `KeyValueStore`: `peer-pool/<topic>/<id>` → JSON. Like status-go's
 * `peers/cache.go` it holds connected peers per topic; unlike it, a peer that fails a dial stays
 * cached (a day with every node switched off must not empty the cache) until newer peers push it
 * out: each topic keeps its `size` most recently connected peers.
 */
export class PeerCache {
  readonly #store: KeyValueStore
  readonly #size: number

  constructor(store: KeyValueStore, size: number) {
    this.#store = store
    this.#size = size
  }

  /** Cached peers of `topic`, most recently connected first. Corrupt entries are skipped. */
  async list(topic: string, options?: AbortOptions): Promise<CachedPeer[]> {
    const peers: CachedPeer[] = []
    const prefix = encoder.encode(`${PREFIX}${topic}/`)
    for await (const [, value] of this.#store.entries({ prefix, signal: options?.signal })) {
      try {
        peers.push(decodePeer(value))
      } catch {
        // A corrupt entry costs one cached peer, never the pool's start.
      }
    }
    return peers.sort((a, b) => b.lastConnected - a.lastConnected)
  }

  /** Records a connection to `peer` under each topic and evicts the oldest beyond the size. */
  async add(peer: CachedPeer, topics: readonly string[], options?: AbortOptions): Promise<void> {
    for (const topic of topics) {
      const batch = this.#store.batch().put(key(topic, peer.id), encoder.encode(JSON.stringify(peer)))
      const others = (await this.list(topic, options)).filter((cached) => cached.id !== peer.id)
      for (const stale of others.slice(Math.max(0, this.#size - 1))) batch.delete(key(topic, stale.id))
      await batch.commit(options)
    }
  }
}

function decodePeer(value: Uint8Array): CachedPeer {
  const parsed: unknown = JSON.parse(decoder.decode(value))
  const peer = parsed as Partial<CachedPeer> | null
  if (
    typeof peer?.id !== 'string' ||
    typeof peer.enode !== 'string' ||
    typeof peer.lastConnected !== 'number' ||
    (peer.capabilities !== undefined && !Array.isArray(peer.capabilities))
  ) {
    throw new DecodeError('peer-pool: malformed cache entry')
  }
  return {
    id: peer.id,
    enode: peer.enode,
    lastConnected: peer.lastConnected,
    ...(peer.capabilities === undefined ? {} : { capabilities: peer.capabilities.map(String) }),
  }
}
