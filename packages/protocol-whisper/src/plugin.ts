import {
  type Components,
  devp2pHost,
  type Plugin,
  privacyProtocol,
  whisperProtocol,
} from '@parley/interfaces'
import { envelopeProtocolComponents } from './components.ts'
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
      new Whisper(envelopeProtocolComponents(components, 'whisper'), {
        ...settings,
        bloom: settings.bloom.slice(),
      }),
  }
}
