/** The outbound step of the envelope pipeline: one Messages packet of what a peer wants and lacks. */
import { bytesToHex } from '@parley/crypto'
import { batchHash, encodeEnvelopes, topicToHex } from '@parley/envelope'
import type { EnvelopeProtocolComponents } from './components.ts'
import { type EnvelopePeers, MESSAGES_CODE } from './envelope-peers.ts'
import type { EnvelopePeer } from './peer-state.ts'
import type { PooledEnvelope } from './pool.ts'

export interface Outbound<P extends EnvelopePeer> {
  protocol: string
  components: EnvelopeProtocolComponents
  peers: EnvelopePeers<P>
  now: number
}

/**
 * Sends `state` the entries it wants (by topic and pow), has not seen and that are still alive, as
 * one Messages packet; our own envelopes get `envelope:sent` (with the packet's batch hash, which
 * waku/1 confirmations name) once the packet is written.
 */
export function sendWanted<P extends EnvelopePeer>(
  state: P,
  entries: Iterable<PooledEnvelope>,
  { protocol, components, peers, now }: Outbound<P>,
): void {
  if (!state.ready) return
  const wanted: PooledEnvelope[] = []
  for (const entry of entries) {
    // Not yet swept is not alive: a trusted peer would take an expired envelope as history.
    if (entry.envelope.expiry < now) continue
    if (state.known.has(entry.hash, now) || entry.pow < state.pow) continue
    if (!state.wants(entry.envelope.topic)) continue
    state.known.add(entry.hash, entry.envelope.expiry)
    wanted.push(entry)
  }
  if (wanted.length === 0) return
  const payload = encodeEnvelopes(wanted.map((entry) => entry.envelope))
  components.metrics.relayed.inc(undefined, wanted.length)
  const own = wanted.filter((entry) => entry.own)
  void peers.send(state, MESSAGES_CODE, payload).then((sent) => {
    if (!sent || own.length === 0) return
    const batch = `0x${bytesToHex(batchHash(payload))}`
    for (const entry of own) {
      components.events.safeDispatchEvent('envelope:sent', {
        protocol,
        hash: entry.hash,
        topic: topicToHex(entry.envelope.topic),
        peer: state.peer.id,
        batch,
      })
    }
  })
}
