/**
 * `loadCrypto` picks one provider per hot path at run time (native, then WASM, then pure JS unless
 * told otherwise) and logs the choice once.
 */
import type { HashProvider, Logger, ProviderKind, Secp256k1Provider } from '@parley/interfaces'
import { UnsupportedError } from '@parley/interfaces'
import { abortable, throwIfAborted } from './abort.ts'
import { availableHashProviders } from './hash/index.ts'
import { availableSecp256k1Providers } from './secp256k1/select.ts'

export interface LoadCryptoOptions {
  /** Which secp256k1 provider to use; 'auto' (the default) takes the fastest that loads. */
  secp256k1?: ProviderKind | 'auto'
  /** Which keccak256 provider to use; 'auto' (the default) takes the fastest that loads. */
  hash?: ProviderKind | 'auto'
  /** Receives one `info` line per provider choice. */
  logger?: Logger
  signal?: AbortSignal
}

export interface ParleyCrypto {
  readonly hash: HashProvider
  readonly secp256k1: Secp256k1Provider
  /** keccak256 with `hash`. */
  keccak256(data: Uint8Array): Uint8Array
}

/** The first provider of `kind`, or the fastest for 'auto'; `UnsupportedError` when none loads. */
function pick<P extends { readonly kind: ProviderKind }>(
  what: string,
  providers: readonly P[],
  kind: ProviderKind | 'auto',
): P {
  const provider = kind === 'auto' ? providers[0] : providers.find((candidate) => candidate.kind === kind)
  if (provider === undefined) {
    const loaded = providers.map((candidate) => candidate.kind).join(', ') || 'none'
    throw new UnsupportedError(`No ${kind} ${what} provider loads in this runtime (available: ${loaded})`)
  }
  return provider
}

/** Lines already logged, per logger, so repeated loads (one per plugin) do not repeat them. */
const logged = new WeakMap<Logger, Set<string>>()

function logOnce(logger: Logger | undefined, line: string): void {
  if (logger === undefined) return
  let lines = logged.get(logger)
  if (lines === undefined) {
    lines = new Set()
    logged.set(logger, lines)
  }
  if (lines.has(line)) return
  lines.add(line)
  logger.info(line)
}

/**
 * Loads the crypto providers. Providers are loaded once per process; later calls are cheap. Throws
 * `UnsupportedError` when a specific kind was asked for and does not load here.
 */
export async function loadCrypto(options: LoadCryptoOptions = {}): Promise<ParleyCrypto> {
  throwIfAborted(options.signal)
  const [hashProviders, secpProviders] = await abortable(
    Promise.all([availableHashProviders(), availableSecp256k1Providers()]),
    options.signal,
  )
  const hash = pick('keccak256', hashProviders, options.hash ?? 'auto')
  const secp256k1 = pick('secp256k1', secpProviders, options.secp256k1 ?? 'auto')
  logOnce(options.logger, `keccak256 provider: ${hash.kind} (${hash.name})`)
  logOnce(options.logger, `secp256k1 provider: ${secp256k1.kind} (${secp256k1.name})`)
  return { hash, secp256k1, keccak256: (data) => hash.keccak256(data) }
}
