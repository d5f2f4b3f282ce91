/** keccak256 over 64 bytes and 1 KiB with every hash provider, against native/keccak.c. */
import { availableHashProviders } from '@parley/crypto'
import type { BenchCase } from '../types.ts'
import { consume, fillPattern } from './inputs.ts'

const SIZES = [
  { label: '64b', bytes: 64 },
  { label: '1k', bytes: 1024 },
] as const

export async function hashCases(): Promise<BenchCase[]> {
  const providers = await availableHashProviders()
  return SIZES.flatMap(({ label, bytes }) =>
    providers.map((provider, rank): BenchCase => {
      const input = fillPattern(bytes, 7)
      return {
        id: `keccak256-${label}/${provider.kind}`,
        group: `keccak256-${label}`,
        unit: 'ops/s',
        provider: `${provider.kind} (${provider.name})`,
        reference: `keccak256-${label}`,
        // the module-level keccak256 uses the fastest provider: the target is its
        target: label === '1k' && rank === 0 ? { minRatio: 0.65 } : undefined,
        run(iterations) {
          for (let i = 0; i < iterations; i++) {
            input[0] = i & 0xff
            consume(provider.keccak256(input))
          }
          return undefined
        },
      }
    }),
  )
}
