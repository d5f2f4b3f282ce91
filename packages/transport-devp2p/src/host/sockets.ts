/** Small promise wrappers over `node:net`, each honouring an `AbortSignal`. */
import type { Server, Socket } from 'node:net'
import { AbortError, ParleyError } from '@parley/interfaces'

/** The host could not listen (address in use, not available…). */
export class ListenError extends ParleyError {
  static override readonly code = 'ERR_DEVP2P_LISTEN'
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, ListenError.code, options)
    this.name = 'ListenError'
  }
}

/** A TCP connection to a peer could not be opened (refused, unreachable…). */
export class DialError extends ParleyError {
  static override readonly code = 'ERR_DEVP2P_DIAL'
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, DialError.code, options)
    this.name = 'DialError'
  }
}

/** Listens on `host:port`; resolves with the bound port. The server is closed on failure or abort. */
export function listen(server: Server, host: string, port: number, signal?: AbortSignal): Promise<number> {
  return new Promise((resolve, reject) => {
    const fail = (error: Error): void => {
      cleanup()
      server.close()
      reject(error)
    }
    const onError = (error: Error): void =>
      fail(new ListenError(`devp2p cannot listen on ${host}:${port}: ${error.message}`, { cause: error }))
    const onAbort = (): void => fail(new AbortError('devp2p host start was aborted'))
    const onListening = (): void => {
      cleanup()
      const address = server.address()
      resolve(typeof address === 'object' && address !== null ? address.port : port)
    }
    const cleanup = (): void => {
      server.off('error', onError)
      server.off('listening', onListening)
      signal?.removeEventListener('abort', onAbort)
    }
    server.once('error', onError)
    server.once('listening', onListening)
    signal?.addEventListener('abort', onAbort, { once: true })
    server.listen(port, host)
  })
}

/** Opens a TCP connection; an abort destroys the socket and rejects with `AbortError`. */
export function connectSocket(
  net: typeof import('node:net'),
  host: string,
  port: number,
  signal: AbortSignal,
): Promise<Socket> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(new AbortError('the dial was aborted'))
      return
    }
    const socket = net.connect({ host, port })
    const cleanup = (): void => {
      socket.off('connect', onConnect)
      socket.off('error', onError)
      signal.removeEventListener('abort', onAbort)
    }
    const onConnect = (): void => {
      cleanup()
      resolve(socket)
    }
    const onError = (error: Error): void => {
      cleanup()
      socket.destroy()
      reject(new DialError(`cannot connect to ${host}:${port}: ${error.message}`, { cause: error }))
    }
    const onAbort = (): void => {
      cleanup()
      socket.destroy()
      reject(new AbortError('the dial was aborted'))
    }
    socket.once('connect', onConnect)
    socket.once('error', onError)
    signal.addEventListener('abort', onAbort, { once: true })
  })
}

/** Resolves once `socket` has closed, destroying it if that takes longer than `graceMs`. */
export function waitForClose(socket: Socket, graceMs: number): Promise<void> {
  if (socket.closed) return Promise.resolve()
  return new Promise((resolve) => {
    const timer = setTimeout(() => socket.destroy(), graceMs)
    socket.once('close', () => {
      clearTimeout(timer)
      resolve()
    })
  })
}
