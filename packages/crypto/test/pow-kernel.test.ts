import { execFile } from 'node:child_process'
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { keccak_256 } from '@noble/hashes/sha3.js'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { leadingZeroBits, type PowKernel, powKernel, UNREACHABLE_BITS } from '../src/pow/index.ts'
import { POW_KERNEL_SOURCE_SHA256 } from '../src/pow/kernel.wasm.ts'

const U64_MAX = (1n << 64n) - 1n

function reference(prefix: Uint8Array, nonce: bigint): Uint8Array {
  const input = new Uint8Array(prefix.length + 8)
  input.set(prefix)
  new DataView(input.buffer).setBigUint64(prefix.length, nonce)
  return keccak_256(input)
}

/** go-ethereum's loop: the first nonce with strictly more leading zeros than any before it, until target. */
function referenceSearch(prefix: Uint8Array, start: bigint, count: number, target: number) {
  let best = { bits: -1, nonce: start, hashes: count }
  for (let i = 0; i < count; i++) {
    const nonce = start + BigInt(i)
    const bits = leadingZeroBits(reference(prefix, nonce))
    if (bits > best.bits) {
      best = { bits, nonce, hashes: count }
      if (bits >= target) return { ...best, hashes: i + 1 }
    }
  }
  return best
}

const kernels: PowKernel[] = [powKernel('wasm'), powKernel('js')]

// lengths where the nonce straddles the block boundary or the padding needs a second block
const edgeLength = fc.constantFrom(0, 1, 127, 128, 129, 133, 134, 135, 136, 263, 264, 265, 271, 272)
const prefixArb = fc.oneof(
  fc.uint8Array({ maxLength: 600 }),
  edgeLength.chain((length) => fc.uint8Array({ minLength: length, maxLength: length })),
)

describe('PoW kernels', () => {
  it('are what was asked for', () => {
    expect(kernels.map((k) => k.kind)).toEqual(['wasm', 'js'])
  })

  it('hash like keccak256(prefix || nonce BE) for random inputs', () => {
    fc.assert(
      fc.property(prefixArb, fc.bigInt({ min: 0n, max: U64_MAX }), (prefix, nonce) => {
        const expected = Buffer.from(reference(prefix, nonce)).toString('hex')
        for (const kernel of kernels) {
          kernel.prepare(prefix)
          expect(Buffer.from(kernel.hash(nonce)).toString('hex')).toBe(expected)
        }
      }),
      { numRuns: 300 },
    )
  })

  it('search finds the same nonce, bits and hash count as a plain loop', () => {
    fc.assert(
      fc.property(
        prefixArb,
        fc.bigInt({ min: 0n, max: U64_MAX - 300n }),
        fc.integer({ min: 1, max: 300 }),
        fc.integer({ min: 0, max: 9 }),
        (prefix, start, count, target) => {
          const expected = referenceSearch(prefix, start, count, target)
          for (const kernel of kernels) {
            kernel.prepare(prefix)
            expect(kernel.search(start, count, target)).toEqual(expected)
          }
        },
      ),
      { numRuns: 40 },
    )
  })

  it('wraps nonces past 2^64 - 1 and hashes all of count with an unreachable target', () => {
    const prefix = Uint8Array.of(1, 2, 3)
    for (const kernel of kernels) {
      kernel.prepare(prefix)
      const result = kernel.search(U64_MAX - 1n, 4, UNREACHABLE_BITS)
      expect(result.hashes).toBe(4)
      expect(kernel.hash(result.nonce)).toEqual(reference(prefix, result.nonce))
    }
  })

  it('handles a 1 MiB prefix (WebAssembly memory grows)', () => {
    const prefix = new Uint8Array(1 << 20).map((_, i) => i * 7)
    for (const kernel of kernels) {
      kernel.prepare(prefix)
      expect(kernel.hash(42n)).toEqual(reference(prefix, 42n))
    }
  })
})

describe('generated kernel module', () => {
  const root = fileURLToPath(new URL('..', import.meta.url))

  it('records the sha256 of the AssemblyScript source it was built from', () => {
    const source = readFileSync(new URL('../assembly/pow.ts', import.meta.url))
    expect(createHash('sha256').update(source).digest('hex')).toBe(POW_KERNEL_SOURCE_SHA256)
  })

  it('is byte for byte what build.mjs produces now', async () => {
    // asc compiles in ~2 s; --check exits 1 if src/pow/kernel.wasm.ts differs from a fresh build
    const run = promisify(execFile)
    await expect(
      run(process.execPath, ['assembly/build.mjs', '--check'], { cwd: root }),
    ).resolves.toBeDefined()
  }, 60_000) // a compiler in a child process: 2 s idle, far more on a loaded machine
})
