import {
  type Components,
  devp2pHost,
  type Plugin,
  privacyProtocol,
  whisperProtocol,
} from '@parley/interfaces'
import { type WhisperInit, whisperSettings } from './options.ts'
import { Whisper } from './whisper.ts'

/**
 * The Whisper v6 plugin: `createNode({ transports: [devp2p()], protocols: [whisper()] })`. Needs
 * `devp2pHost`, on which it registers `shh/6` when created; provides `whisperProtocol` and
 * `privacyProtocol`. Bad options throw `InvalidConfigError` here, where they are written.
 */
export function whisper(init: WhisperInit = {}): Plugin<Whisper> {
  const settings = whisperSettings(init)
  return {
    name: 'protocol-whisper',
    provides: [whisperProtocol, privacyProtocol],
    needs: [devp2pHost],
    create: (components: Components) =>
      new Whisper(
        {
          devp2pHost: components.get(devp2pHost),
          logger: components.logger.forComponent('whisper'),
          events: components.events,
          metrics: {
            envelopes: components.metrics.counter({
              name: 'parley_whisper_envelopes_total',
              help: 'Envelopes received from peers, by result: accepted, duplicate, or why they were dropped',
              labelNames: ['result'],
            }),
            pool: components.metrics.gauge({
              name: 'parley_whisper_pool_envelopes',
              help: 'Envelopes held until they expire',
            }),
          },
        },
        { ...settings, bloom: settings.bloom.slice() },
      ),
  }
}
