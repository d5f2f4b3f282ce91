import { AbortError, type Logger, UnsupportedError } from '@parley/interfaces'
import { describe, expect, it, vi } from 'vitest'
import { bytesToHex, loadCrypto, utf8ToBytes } from '../src/index.ts'

function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = []
  const log = Object.assign((message: string) => lines.push(message), {
    lines,
    trace: () => {},
    debug: () => {},
    info: (message: string) => lines.push(message),
    warn: () => {},
    error: () => {},
    enabled: false,
    namespace: 'parley:crypto',
    child: () => log,
  })
  return log
}

describe('loadCrypto', () => {
  it('picks the fastest providers and logs each choice once per logger', async () => {
    const logger = recordingLogger()
    const first = await loadCrypto({ logger })
    const second = await loadCrypto({ logger })
    expect(second.secp256k1).toBe(first.secp256k1)
    expect(first.hash.kind).toBe('wasm')
    expect(['native', 'wasm']).toContain(first.secp256k1.kind)
    expect(logger.lines).toEqual([
      'keccak256 provider: wasm (hash-wasm)',
      `secp256k1 provider: ${first.secp256k1.kind} (${first.secp256k1.name})`,
    ])
    expect(bytesToHex(first.keccak256(utf8ToBytes('')))).toBe(
      'c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470',
    )
  })

  it('honours an explicit provider kind and logs a new choice', async () => {
    const logger = recordingLogger()
    await loadCrypto({ logger })
    const js = await loadCrypto({ secp256k1: 'js', hash: 'js', logger })
    expect(js.secp256k1.name).toBe('@noble/curves')
    expect(js.hash.name).toBe('@noble/hashes')
    expect(logger.lines.slice(2)).toEqual([
      'keccak256 provider: js (@noble/hashes)',
      'secp256k1 provider: js (@noble/curves)',
    ])
  })

  it('throws UnsupportedError for a kind that does not load here', async () => {
    await expect(loadCrypto({ hash: 'native' })).rejects.toBeInstanceOf(UnsupportedError)
  })

  it('rejects with AbortError when aborted', async () => {
    await expect(loadCrypto({ signal: AbortSignal.abort() })).rejects.toBeInstanceOf(AbortError)
  })
})

describe('without node built-ins (a browser-like runtime)', () => {
  it('imports cleanly and falls back to WASM/JS providers and the noble backend', async () => {
    const original = process.getBuiltinModule
    vi.resetModules()
    let crypto: typeof import('../src/index.ts')
    let secpKinds: string[]
    try {
      // @ts-expect-error simulate a runtime without process.getBuiltinModule
      process.getBuiltinModule = undefined
      crypto = await import('../src/index.ts')
      secpKinds = (await crypto.availableSecp256k1Providers()).map((provider) => provider.kind)
    } finally {
      process.getBuiltinModule = original
    }
    expect(crypto.symmetricBackends().map((backend) => backend.kind)).toEqual(['js'])
    expect(secpKinds).toEqual(['wasm', 'js'])
    const loaded = await crypto.loadCrypto()
    const privateKey = crypto.generatePrivateKey()
    const message = utf8ToBytes('hello from a browser')
    const sealed = crypto.eciesEncrypt(loaded.secp256k1, loaded.secp256k1.getPublicKey(privateKey), message)
    expect(crypto.eciesDecrypt(loaded.secp256k1, privateKey, sealed)).toEqual(message)
    const derived = await crypto.pbkdf2Sha256('pw', new Uint8Array(0), 10, 32)
    expect(derived.length).toBe(32)
  })
})
