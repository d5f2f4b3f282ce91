import { type Components, devp2pHost, type Plugin, privacyProtocol, waku1Protocol } from '@parley/interfaces'
import { envelopeProtocolComponents } from '@parley/protocol-whisper'
import { type Waku1Init, waku1Settings } from './options.ts'
import { Waku1 } from './waku1.ts'

/**
 * The Waku v1 plugin: `createNode({ transports: [devp2p()], protocols: [waku1()] })`. Needs
 * `devp2pHost`, on which it registers `waku/1` when created; provides `waku1Protocol` and
 * `privacyProtocol`. Bad options throw `InvalidConfigError` here, where they are written.
 */
export function waku1(init: Waku1Init = {}): Plugin<Waku1> {
  const settings = waku1Settings(init)
  return {
    name: 'protocol-waku1',
    provides: [waku1Protocol, privacyProtocol],
    needs: [devp2pHost],
    create: (components: Components) =>
      new Waku1(envelopeProtocolComponents(components, 'waku1'), {
        ...settings,
        bloom: settings.bloom.slice(),
      }),
  }
}
