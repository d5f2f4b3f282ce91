/**
 * The few node:http pieces every Parley HTTP service needs (metrics endpoint, JSON-RPC, later REST),
 * written once: listening that honours an AbortSignal and reports failures as the caller's error
 * class, closing that does not wait for keep-alive clients, and plain replies with a length.
 */
import type { Server, ServerResponse } from 'node:http'
import { AbortError } from '@parley/interfaces'

export interface ListenOptions {
  port: number
  host: string
  signal?: AbortSignal
  /** the error `listen` rejects with when binding fails (port taken, bad address) */
  onError: (cause: Error) => Error
  /** the message of the `AbortError` when the signal fires first */
  abortMessage: string
}

/** Starts `server` listening; an abort closes it again and rejects with `AbortError`. */
export function listen(server: Server, options: ListenOptions): Promise<void> {
  const { port, host, signal } = options
  return new Promise((resolve, reject) => {
    const cleanup = () => {
      server.off('listening', onListening)
      server.off('error', onError)
      signal?.removeEventListener('abort', onAbort)
    }
    const onListening = () => {
      cleanup()
      resolve()
    }
    const onError = (error: Error) => {
      cleanup()
      reject(options.onError(error))
    }
    const onAbort = () => {
      cleanup()
      server.close()
      reject(new AbortError(options.abortMessage))
    }
    server.once('listening', onListening)
    server.once('error', onError)
    signal?.addEventListener('abort', onAbort, { once: true })
    server.listen(port, host)
  })
}

/** Closes `server` and every open connection: a client's keep-alive socket would hold the port. */
export function closeServer(server: Server): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()))
  server.closeAllConnections()
  return closed
}

/** Ends `response` with `status`, a content type and length, and `body` (no body when `headOnly`). */
export function reply(
  response: ServerResponse,
  status: number,
  contentType: string,
  body: string,
  headOnly = false,
): void {
  response.statusCode = status
  response.setHeader('Content-Type', contentType)
  response.setHeader('Content-Length', Buffer.byteLength(body))
  response.end(headOnly ? undefined : body)
}
