/**
 * The native reference must build and pass its known-answer checks on any machine that runs the
 * benchmarks; a missing compiler or library fails here, loudly, with the reason.
 */
import { execFile } from 'node:child_process'
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { seal } from '@parley/crypto'
import { beforeAll, describe, expect, it } from 'vitest'
import { GETH_SEAL, STATUS_SEAL, sealEnvelope } from '../src/cases/inputs.ts'
import { NativeReference } from '../src/native.ts'

const run = promisify(execFile)
let reference: NativeReference

beforeAll(async () => {
  reference = await NativeReference.create()
}, 180_000)

describe('native reference', () => {
  it('builds with OpenSSL and libsecp256k1', () => {
    expect(reference.build.error, 'the reference program did not build').toBeUndefined()
    const missing = [...reference.build.missing].map(([feature, reason]) => `${feature}: ${reason}`)
    expect(missing, 'optional libraries are missing').toEqual([])
    expect(reference.info.openssl).toMatch(/^OpenSSL 3\./)
  })

  it('passes its selftest: keccak256 vectors, the PoW hash vectors, midstate = sponge, SHA3, secp256k1, ECIES', async () => {
    await expect(reference.selftest()).resolves.toBe('selftest ok')
  })

  it('lists every case the TypeScript side compares against', () => {
    for (const id of [
      'keccak256-1k',
      'pow-nonce-search',
      'seal-status',
      'secp256k1-verify',
      'aes-256-gcm-64k',
    ]) {
      expect(reference.unavailable(id), id).toBeUndefined()
    }
    expect(reference.unavailable('no-such-case')).toMatch(/no case no-such-case/)
  })

  it('measures a case and reports its unit', async () => {
    const hashes = await reference.measure('pow-nonce-search', 20, 1)
    expect(hashes.value).toBeGreaterThan(10_000)
    const seal = await reference.measure('seal-status', 20, 1)
    expect(seal.value).toBeGreaterThan(0)
    expect(seal.p90).toBeGreaterThanOrEqual(seal.value)
  })

  it('turns a missing compiler into n/a reasons instead of an exception', async () => {
    const without = await NativeReference.create({ cc: '/nonexistent/cc' })
    expect(without.build.binary).toBeUndefined()
    expect(without.unavailable('keccak256-1k')).toMatch(/no C compiler/)
    await expect(without.measure('keccak256-1k', 10, 1)).rejects.toThrow(/no C compiler/)
  })

  it('without OpenSSL, keeps the other cases and names libssl-dev for the missing ones', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'parley-bench-'))
    try {
      // a compiler that cannot link libcrypto, as on a machine without libssl-dev
      const cc = join(dir, 'cc-without-openssl')
      await writeFile(
        cc,
        '#!/bin/sh\nfor a in "$@"; do [ "$a" = -lcrypto ] && { echo "cannot find -lcrypto" >&2; exit 1; }; done\nexec cc "$@"\n',
      )
      await chmod(cc, 0o755)
      const partial = await NativeReference.create({ cc, cacheDir: join(dir, 'cache') })
      expect(partial.build.missing.get('openssl')).toMatch(/libssl-dev.*cannot find -lcrypto/)
      expect(partial.unavailable('aes-256-gcm-1k')).toMatch(/libssl-dev/)
      expect(partial.unavailable('ecies-encrypt-1k')).toMatch(/libssl-dev/)
      expect(partial.unavailable('keccak256-1k')).toBeUndefined()
      expect(partial.unavailable('secp256k1-sign')).toBeUndefined()
      await expect(partial.selftest()).resolves.toBe('selftest ok')
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  }, 120_000)

  it('rejects an unknown case with exit status 2', async () => {
    await expect(run(reference.build.binary!, ['nope', '10'])).rejects.toMatchObject({ code: 2 })
  })

  it('seals the same envelopes as @parley/crypto, finding the same nonces', async () => {
    for (const parameters of [STATUS_SEAL, GETH_SEAL]) {
      for (const index of [0, 1, 1_000_000]) {
        const native = await reference.sealNonce(parameters.pow, parameters.ttl, index)
        const js = await seal(sealEnvelope(index, parameters.ttl), { pow: parameters.pow, worker: false })
        expect(js.nonce).toBe(native.nonce)
        expect(js.bits).toBeGreaterThanOrEqual(native.targetBits)
      }
    }
  })
})
