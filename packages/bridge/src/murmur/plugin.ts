/** The two ends of Whisper over libp2p as node plugins. */
import {
  type Capability,
  type Components,
  type Counter,
  capability,
  libp2pHost,
  type Plugin,
  privacyProtocol,
  whisperProtocol,
} from '@parley/interfaces'
import { WhisperOverLibp2p, type WhisperOverLibp2pInit } from './client.ts'
import { MurmurServer, type MurmurServerInit } from './server.ts'

/** A libp2p-only node's Whisper client (`node.get(whisperLibp2pClient)`). */
export const whisperLibp2pClient: Capability<WhisperOverLibp2p> =
  capability<WhisperOverLibp2p>('whisper-libp2p-client')
/** The bridge node's end (`node.get(whisperLibp2pServer)`); the bridge joins it as the `murmur` side. */
export const whisperLibp2pServer: Capability<MurmurServer> = capability<MurmurServer>('whisper-libp2p-server')

/** Counted per frame and envelope, `side` (`client`, `server`) and `result`; registered once per node. */
function framesCounter(components: Components): Counter {
  return components.metrics.counter({
    name: 'parley_whisper_libp2p_frames_total',
    help: 'Whisper over libp2p: frames and envelopes received, by side and result (accepted or why not)',
    labelNames: ['side', 'result'],
  })
}

/**
 * Whisper for a node with only libp2p: `post`/`subscribe` with 4-byte topics and PoW-sealed
 * envelopes, carried to the devp2p network by the bridges it connects to. Provides
 * `whisperLibp2pClient` and `privacyProtocol`.
 */
export function whisperOverLibp2p(init: WhisperOverLibp2pInit = {}): Plugin<WhisperOverLibp2p> {
  return {
    name: 'whisper-over-libp2p',
    provides: [whisperLibp2pClient, privacyProtocol],
    needs: [libp2pHost],
    create: (components) =>
      new WhisperOverLibp2p(
        {
          host: components.get(libp2pHost),
          logger: components.logger.forComponent('whisper-libp2p'),
          frames: framesCounter(components),
        },
        init,
      ),
  }
}

/**
 * The bridge node's end: serves `/parley/shh/6/1.0.0` to libp2p clients next to the node's devp2p
 * Whisper. Put `bridge()` on the same node to carry envelopes between the two.
 */
export function whisperOverLibp2pServer(init: MurmurServerInit = {}): Plugin<MurmurServer> {
  return {
    name: 'whisper-over-libp2p-server',
    provides: [whisperLibp2pServer],
    needs: [libp2pHost, whisperProtocol],
    create: (components) =>
      new MurmurServer(
        {
          host: components.get(libp2pHost),
          whisper: components.get(whisperProtocol),
          logger: components.logger.forComponent('whisper-libp2p-server'),
          frames: framesCounter(components),
        },
        init,
      ),
  }
}
