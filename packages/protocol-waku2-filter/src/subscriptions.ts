/**
 * The service's subscription table: which peer wants which (pubsub topic, content topic) pairs,
 * and when it last refreshed them. Pure and clock-injected, so limits and expiry test without I/O.
 */
export interface FilterSubscriptionLimits {
  maxPeers: number
  maxCriteriaPerPeer: number
  timeoutMs: number
}

export type AddResult = { ok: true } | { ok: false; reason: 'too-many-peers' | 'too-many-criteria' }

interface PeerEntry {
  lastSeen: number
  /** pubsub topic → content topics */
  criteria: Map<string, Set<string>>
  count: number
}

export class FilterSubscriptions {
  readonly #limits: FilterSubscriptionLimits
  readonly #now: () => number
  readonly #peers = new Map<string, PeerEntry>()
  /** pubsub topic → content topic → peers: the lookup each relayed message makes */
  readonly #index = new Map<string, Map<string, Set<string>>>()

  constructor(limits: FilterSubscriptionLimits, now: () => number = Date.now) {
    this.#limits = limits
    this.#now = now
  }

  get peerCount(): number {
    return this.#peers.size
  }

  /** The peers holding criteria (lapsed ones too, until `prune`). */
  peers(): string[] {
    return [...this.#peers.keys()]
  }

  /** True when `peer` has criteria and refreshed them within the timeout. */
  isSubscribed(peer: string): boolean {
    const entry = this.#peers.get(peer)
    return entry !== undefined && this.#now() - entry.lastSeen <= this.#limits.timeoutMs
  }

  refresh(peer: string): void {
    const entry = this.#peers.get(peer)
    if (entry !== undefined) entry.lastSeen = this.#now()
  }

  /** Adds criteria (all or none); a lapsed subscription is replaced rather than extended. */
  add(peer: string, pubsubTopic: string, contentTopics: readonly string[]): AddResult {
    if (this.#peers.has(peer) && !this.isSubscribed(peer)) this.removePeer(peer)
    const entry = this.#peers.get(peer)
    if (entry === undefined && this.#peers.size >= this.#limits.maxPeers)
      return { ok: false, reason: 'too-many-peers' }
    const known = entry?.criteria.get(pubsubTopic)
    const fresh = [...new Set(contentTopics)].filter((topic) => known?.has(topic) !== true)
    if ((entry?.count ?? 0) + fresh.length > this.#limits.maxCriteriaPerPeer)
      return { ok: false, reason: 'too-many-criteria' }
    const target = entry ?? { lastSeen: 0, criteria: new Map(), count: 0 }
    target.lastSeen = this.#now()
    this.#peers.set(peer, target)
    const topics = known ?? new Set<string>()
    target.criteria.set(pubsubTopic, topics)
    for (const topic of fresh) {
      topics.add(topic)
      target.count++
      this.#indexed(pubsubTopic, topic).add(peer)
    }
    return { ok: true }
  }

  /**
   * Removes criteria (all or none): false when the peer has no subscription or lacks one of them.
   * A peer left without criteria is forgotten.
   */
  remove(peer: string, pubsubTopic: string, contentTopics: readonly string[]): boolean {
    const entry = this.#peers.get(peer)
    const known = entry?.criteria.get(pubsubTopic)
    if (entry === undefined || known === undefined || !this.isSubscribed(peer)) return false
    if (contentTopics.some((topic) => !known.has(topic))) return false
    entry.lastSeen = this.#now()
    for (const topic of new Set(contentTopics)) {
      known.delete(topic)
      entry.count--
      this.#unindex(pubsubTopic, topic, peer)
    }
    if (known.size === 0) entry.criteria.delete(pubsubTopic)
    if (entry.count === 0) this.#peers.delete(peer)
    return true
  }

  /** Drops every criterion of `peer`; false when it had none. */
  removePeer(peer: string): boolean {
    const entry = this.#peers.get(peer)
    if (entry === undefined) return false
    for (const [pubsubTopic, topics] of entry.criteria)
      for (const topic of topics) this.#unindex(pubsubTopic, topic, peer)
    this.#peers.delete(peer)
    return true
  }

  /** Peers with a live subscription to the pair. */
  subscribers(pubsubTopic: string, contentTopic: string): string[] {
    const peers = this.#index.get(pubsubTopic)?.get(contentTopic)
    return peers === undefined ? [] : [...peers].filter((peer) => this.isSubscribed(peer))
  }

  /** Forgets lapsed subscriptions; returns the peers dropped. */
  prune(): string[] {
    const lapsed = [...this.#peers.keys()].filter((peer) => !this.isSubscribed(peer))
    for (const peer of lapsed) this.removePeer(peer)
    return lapsed
  }

  #indexed(pubsubTopic: string, contentTopic: string): Set<string> {
    const byContent = this.#index.get(pubsubTopic) ?? new Map<string, Set<string>>()
    this.#index.set(pubsubTopic, byContent)
    const peers = byContent.get(contentTopic) ?? new Set<string>()
    byContent.set(contentTopic, peers)
    return peers
  }

  #unindex(pubsubTopic: string, contentTopic: string, peer: string): void {
    const byContent = this.#index.get(pubsubTopic)
    const peers = byContent?.get(contentTopic)
    peers?.delete(peer)
    if (peers?.size === 0) byContent?.delete(contentTopic)
    if (byContent?.size === 0) this.#index.delete(pubsubTopic)
  }
}
