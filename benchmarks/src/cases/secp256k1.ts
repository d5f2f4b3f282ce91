/** secp256k1 getPublicKey / ECDH / sign / recover / verify with every provider, against libsecp256k1. */
import { availableSecp256k1Providers, keccak256, type Secp256k1Provider } from '@parley/crypto'
import type { BenchCase, Target } from '../types.ts'
import { consume, consumeFlag } from './inputs.ts'

const KEYS = 64

/** The same 64 keys and hashes as native/ref_secp256k1.c. */
export function secpFixtures(secp: Secp256k1Provider) {
  const privateKeys = Array.from({ length: KEYS }, (_, i) => keccak256(Uint8Array.of(i, 0x6b, 0x65, 0x79)))
  const hashes = privateKeys.map((key) => keccak256(key))
  const publicKeys = privateKeys.map((key) => secp.getPublicKey(key, false))
  const signatures = privateKeys.map((key, i) => secp.sign(hashes[i]!, key))
  return { privateKeys, hashes, publicKeys, signatures }
}

type Fixtures = ReturnType<typeof secpFixtures>
type Operation = (secp: Secp256k1Provider, f: Fixtures, i: number) => void

const OPERATIONS: ReadonlyArray<[name: string, operation: Operation]> = [
  ['getPublicKey', (secp, f, i) => consume(secp.getPublicKey(f.privateKeys[i]!, false))],
  ['ecdh', (secp, f, i) => consume(secp.ecdh(f.privateKeys[i]!, f.publicKeys[(i + 1) % KEYS]!))],
  ['sign', (secp, f, i) => consume(secp.sign(f.hashes[i]!, f.privateKeys[i]!))],
  ['recover', (secp, f, i) => consume(secp.recover(f.hashes[i]!, f.signatures[i]!, false))],
  ['verify', (secp, f, i) => consumeFlag(secp.verify(f.hashes[i]!, f.signatures[i]!, f.publicKeys[i]!))],
]

const TARGETS: Partial<Record<Secp256k1Provider['kind'], Target>> = {
  native: { minRatio: 0.65 },
  wasm: { minRatio: 0.13 },
}

export async function secp256k1Cases(): Promise<BenchCase[]> {
  const providers = await availableSecp256k1Providers()
  let fixtures: Fixtures | undefined
  return OPERATIONS.flatMap(([name, operation]) =>
    providers.map(
      (secp): BenchCase => ({
        id: `secp256k1-${name}/${secp.kind}`,
        group: `secp256k1-${name}`,
        unit: 'ops/s',
        provider: `${secp.kind} (${secp.name})`,
        reference: `secp256k1-${name}`,
        target: TARGETS[secp.kind],
        setup() {
          fixtures ??= secpFixtures(providers[0]!)
        },
        run(iterations) {
          const f = fixtures!
          for (let i = 0; i < iterations; i++) operation(secp, f, i % KEYS)
          return undefined
        },
      }),
    ),
  )
}
