import {
  type Components,
  InvalidConfigError,
  keyValueStore,
  nodeIdentity,
  type Plugin,
  secureTransport as secureTransportCapability,
} from '@parley/interfaces'
import { StatusSecureTransport } from './transport.ts'
import type { SecureTransportOptions } from './transport-api.ts'

/** `secureTransport(init)` options: those of `StatusSecureTransport` without the components. */
export type SecureTransportInit = Omit<SecureTransportOptions, 'store' | 'identityKey' | 'metrics'> & {
  /** identity private key; default: the node identity's */
  identityKey?: Uint8Array
}

/**
 * The secure transport plugin (name `secure-transport`): provides `secureTransport`, needs
 * `keyValueStore` (sessions, prekeys, bundles) and, unless `init.identityKey` is given,
 * `nodeIdentity`. The service is a `StatusSecureTransport`.
 */
export function secureTransport(init: SecureTransportInit = {}): Plugin<StatusSecureTransport> {
  if (init.identityKey !== undefined && init.identityKey.length !== 32) {
    throw new InvalidConfigError('secureTransport: identityKey must be 32 bytes')
  }
  if (init.installationId !== undefined && init.installationId.length === 0) {
    throw new InvalidConfigError('secureTransport: installationId must not be empty')
  }
  const identityKey = init.identityKey
  return {
    name: 'secure-transport',
    provides: [secureTransportCapability],
    needs: identityKey === undefined ? [keyValueStore, nodeIdentity] : [keyValueStore],
    create(components: Components): StatusSecureTransport {
      return new StatusSecureTransport({
        ...init,
        store: components.get(keyValueStore),
        identityKey: identityKey ?? components.get(nodeIdentity).privateKey,
        metrics: components.metrics,
      })
    },
  }
}
