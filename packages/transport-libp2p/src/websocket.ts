/**
 * The WebSocket transport, plain and secure. `@libp2p/websockets` serves `/wss` (printed back as
 * `/tls/ws`) through a node `https` server built from its `https` init, and dials `wss://` with the
 * `ws` client options in its `websocket` init, so TLS here is only a matter of loading PEM text.
 */
import { readFile } from 'node:fs/promises'
import { rootCertificates } from 'node:tls'
import { webSockets } from '@libp2p/websockets'
import { type Multiaddr, multiaddr } from '@multiformats/multiaddr'
import { type AbortOptions, InvalidConfigError } from '@parley/interfaces'

/** nwaku's `--websocket-secure-cert-path` / `--websocket-secure-key-path`, or the PEM text itself. */
export interface SecureWebSocketInit {
  /** PEM certificate (chain) text; or `certPath`. */
  cert?: string
  /** PEM certificate (chain) file, read at each start. */
  certPath?: string
  /** PEM private key text; or `keyPath`. */
  key?: string
  /** PEM private key file, read at each start. */
  keyPath?: string
}

export interface WebSocketTlsOptions {
  /** Serves `/wss` listen addresses when set. */
  secure: SecureWebSocketInit | undefined
  /** PEM certificates trusted for `wss` dials besides Node's bundled roots (self-signed, private CA). */
  trustedCertificates: readonly string[]
}

const WSS = /\/(wss|tls\/ws)(\/|$)/

export function isSecureWebSocket(address: string | Multiaddr): boolean {
  return WSS.test(address.toString())
}

/** Checks the init at plugin creation: one source each for cert and key, PEM text where given. */
export function checkSecureWebSocket(init: SecureWebSocketInit): void {
  for (const [name, text, path] of [
    ['cert', init.cert, init.certPath],
    ['key', init.key, init.keyPath],
  ] as const) {
    if ((text === undefined) === (path === undefined))
      throw new InvalidConfigError(`libp2p secureWebSocket needs exactly one of ${name} and ${name}Path`)
    if (text !== undefined && !text.includes('-----BEGIN '))
      throw new InvalidConfigError(`libp2p secureWebSocket ${name} is not PEM text`)
  }
}

async function pem(
  text: string | undefined,
  path: string | undefined,
  options: AbortOptions,
): Promise<string> {
  if (text !== undefined) return text
  try {
    return await readFile(path ?? '', { encoding: 'utf8', signal: options.signal })
  } catch (cause) {
    if (options.signal?.aborted === true) throw cause
    throw new InvalidConfigError(`cannot read libp2p secure WebSocket file ${path}`, { cause })
  }
}

/** Builds the transport factory; reads the certificate and key files (a start-time step). */
export async function webSocketTransport(
  tls: WebSocketTlsOptions,
  options: AbortOptions = {},
): Promise<ReturnType<typeof webSockets>> {
  const https =
    tls.secure === undefined
      ? undefined
      : {
          cert: await pem(tls.secure.cert, tls.secure.certPath, options),
          key: await pem(tls.secure.key, tls.secure.keyPath, options),
        }
  // `ca` replaces Node's roots, so the extra certificates are added to them, not put in their place.
  const websocket =
    tls.trustedCertificates.length === 0
      ? undefined
      : { ca: [...rootCertificates, ...tls.trustedCertificates] }
  return webSockets({
    ...(https === undefined ? {} : { https }),
    ...(websocket === undefined ? {} : { websocket }),
  })
}

/** Parses, throwing `InvalidConfigError` naming what the address was for. */
export function configMultiaddr(address: string, what: string): Multiaddr {
  try {
    return multiaddr(address)
  } catch (cause) {
    throw new InvalidConfigError(`libp2p ${what} is not a multiaddr: ${address}`, { cause })
  }
}
