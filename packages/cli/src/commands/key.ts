import { bytesToHex, generatePrivateKey, loadCrypto, nodeIdFromPublicKey } from '@parley/crypto'
import { boolOption } from '../config/options.ts'
import { EXIT_OK } from '../errors.ts'
import { writeLine } from '../io.ts'
import { defineCommand } from './command.ts'

export const keyGenerateCommand = defineCommand({
  name: 'key generate',
  summary: 'Create a secp256k1 key pair; prints privateKey, publicKey and nodeId as JSON',
  description: [
    'Prints {"privateKey":"<64 hex>","publicKey":"<130 hex>","nodeId":"<128 hex>"}: the public key',
    'is uncompressed SEC1 (04 || x || y) and the node id is the devp2p id in enode URLs (the public',
    'key without its 04 prefix). Use the private key as --nodekey. The key is printed only because you',
    'asked for it; it is never written to logs.',
  ].join('\n'),
  flags: {
    compressed: boolOption({
      default: false,
      description: 'Print the 33-byte compressed public key (66 hex digits) instead.',
    }),
  },
  usesConfig: false,
  async run({ io, flags, signal }) {
    const { secp256k1 } = await loadCrypto({ signal })
    const privateKey = generatePrivateKey()
    const publicKey = secp256k1.getPublicKey(privateKey, flags.compressed)
    writeLine(
      io.stdout,
      JSON.stringify({
        privateKey: bytesToHex(privateKey),
        publicKey: bytesToHex(publicKey),
        nodeId: nodeIdFromPublicKey(publicKey),
      }),
    )
    return EXIT_OK
  },
})
