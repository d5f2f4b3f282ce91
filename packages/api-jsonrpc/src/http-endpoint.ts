/**
 * One HTTP request: POST bodies of JSON-RPC 2.0 on `path`, with CORS for allowed origins. Bodies
 * over `maxBodyBytes` get 413 before they are read in full.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { reply } from '@parley/http'
import type { Logger } from '@parley/interfaces'
import { applyCors } from './cors.ts'

export interface HttpEndpointOptions {
  path: string
  maxBodyBytes: number
  cors: readonly string[]
  log: Logger
  handle(body: string): Promise<string | undefined>
}

export function serveHttp(
  request: IncomingMessage,
  response: ServerResponse,
  options: HttpEndpointOptions,
): void {
  const path = (request.url ?? '/').split('?')[0]
  if (path !== options.path) {
    reply(response, 404, 'text/plain', 'not found\n')
    return
  }
  if (applyCors(request, response, options.cors)) return
  if (request.method !== 'POST') {
    response.setHeader('Allow', 'POST')
    reply(response, 405, 'text/plain', 'method not allowed\n')
    return
  }
  const declared = Number(request.headers['content-length'] ?? 0)
  if (declared > options.maxBodyBytes) {
    tooLarge(request, response, declared, options.maxBodyBytes)
    return
  }
  const chunks: Buffer[] = []
  let size = 0
  request.on('data', (chunk: Buffer) => {
    size += chunk.length
    if (size > options.maxBodyBytes) tooLarge(request, response, size, options.maxBodyBytes)
    else chunks.push(chunk)
  })
  request.on('end', () => {
    if (response.headersSent || response.writableEnded) return
    options.handle(Buffer.concat(chunks).toString('utf8')).then(
      (text) => reply(response, 200, 'application/json', text ?? ''),
      (error: unknown) => {
        options.log.error('JSON-RPC request failed: %s', error)
        reply(response, 500, 'text/plain', 'internal error\n')
      },
    )
  })
  request.on('error', () => response.destroy())
}

function tooLarge(request: IncomingMessage, response: ServerResponse, size: number, max: number): void {
  if (response.headersSent) return
  // Connection: close, so the rest of the body is not read off the socket.
  response.setHeader('Connection', 'close')
  reply(response, 413, 'text/plain', `content length too large (${size}>${max})\n`)
  request.pause()
}
