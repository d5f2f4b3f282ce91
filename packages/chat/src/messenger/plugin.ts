import {
  type Components,
  dataSync,
  historyClient,
  InvalidConfigError,
  keyValueStore,
  nodeIdentity,
  type Plugin,
  privacyProtocol,
  secureTransport,
  waku2Store,
} from '@parley/interfaces'
import { Messenger } from './messenger.ts'
import type { MessengerOptions } from './types.ts'

/** `@parley/secure-transport`'s service is an event target announcing `bundle:refreshed`; the interface does not say so. */
export interface MessengerInit extends MessengerOptions {
  /** identity private key, the secure transport's; default the node identity's */
  identityKey?: Uint8Array
}

/**
 * The messenger plugin (name `messenger`): needs `privacyProtocol` (Whisper, Waku v1 or Waku v2
 * relay), `secureTransport`, `dataSync`, `keyValueStore` and, unless `init.identityKey` is given,
 * `nodeIdentity`; wants `historyClient` (v1 history) and `waku2Store` (v2 history, with `init.storePeer`). The service is a `Messenger`.
 */
export function messenger(init: MessengerInit = {}): Plugin<Messenger> {
  const { identityKey, ...options } = init
  if (identityKey !== undefined && identityKey.length !== 32) {
    throw new InvalidConfigError('messenger: identityKey must be 32 bytes')
  }
  return {
    name: 'messenger',
    needs: [
      privacyProtocol,
      secureTransport,
      dataSync,
      keyValueStore,
      ...(identityKey === undefined ? [nodeIdentity] : []),
    ],
    wants: [historyClient, waku2Store],
    create(components: Components): Messenger {
      const secure = components.get(secureTransport)
      return new Messenger(
        {
          privacy: components.get(privacyProtocol),
          secure,
          bundleEvents: secure,
          sync: components.get(dataSync),
          store: components.get(keyValueStore),
          ...(components.has(historyClient) ? { history: components.get(historyClient) } : {}),
          ...(components.has(waku2Store) ? { wakuStore: components.get(waku2Store) } : {}),
          identityKey: identityKey ?? components.get(nodeIdentity).privateKey,
          logger: components.logger.forComponent('messenger'),
          metrics: components.metrics,
        },
        options,
      )
    },
  }
}
