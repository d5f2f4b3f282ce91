import { nodeIdFromPublicKey } from '@parley/crypto'
import {
  InvalidConfigError,
  type NodeIdentity,
  nodeIdentity,
  type Plugin,
  type Secp256k1Provider,
} from '@parley/interfaces'

/**
 * Provides the node's secp256k1 identity (`nodeIdentity`) from a private key, so transports need
 * not know where the key came from (`--nodekey`, a key file, or generated at start).
 */
export function identityPlugin(secp256k1: Secp256k1Provider, privateKey: Uint8Array): Plugin<NodeIdentity> {
  if (!secp256k1.isValidPrivateKey(privateKey)) {
    throw new InvalidConfigError(
      'nodekey is not a valid secp256k1 private key (zero or not below the curve order)',
    )
  }
  const publicKey = secp256k1.getPublicKey(privateKey, false)
  const nodeId = nodeIdFromPublicKey(publicKey)
  return {
    name: 'identity',
    provides: [nodeIdentity],
    // One service object per node, as every plugin's create does.
    create: () => ({ privateKey, publicKey, nodeId }),
  }
}
