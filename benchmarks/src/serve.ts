/**
 * A static file server for the built browser runner (benchmarks/web/dist), so a phone on the same
 * network can open it: `parley bench serve --host 0.0.0.0`. Bound to 127.0.0.1 unless told
 * otherwise; GET and HEAD only; no path leaves the directory.
 */
import { readFile, stat } from 'node:fs/promises'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { extname, join, normalize, resolve, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import { NotFoundError } from '@parley/interfaces'

export const DEFAULT_HOST = '127.0.0.1'
export const DEFAULT_PORT = 8377

/** Where `pnpm bench:web` writes the page. */
export const WEB_DIST = fileURLToPath(new URL('../web/dist/', import.meta.url))

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.wasm': 'application/wasm',
}

export interface ServeOptions {
  dir?: string
  host?: string
  /** 0 picks a free port */
  port?: number
  signal?: AbortSignal
}

export interface BenchServer {
  url: string
  close(): Promise<void>
}

/** The file a request path names inside `root`, or undefined when it would leave it. */
export function resolveInside(root: string, urlPath: string): string | undefined {
  let decoded: string
  try {
    decoded = decodeURIComponent(urlPath.split('?')[0] ?? '/')
  } catch {
    return undefined
  }
  const relative = normalize(decoded).replace(/^([/\\])+/, '')
  const file = resolve(root, relative === '' ? 'index.html' : relative)
  return file === resolve(root) || file.startsWith(resolve(root) + sep) ? file : undefined
}

export async function serveBenchPage(options: ServeOptions = {}): Promise<BenchServer> {
  const root = resolve(options.dir ?? WEB_DIST)
  const index = await stat(join(root, 'index.html')).catch(() => undefined)
  if (index === undefined)
    throw new NotFoundError(`${root}/index.html does not exist: build the page first (pnpm bench:web)`)
  const server = createServer(async (request, response) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405).end()
      return
    }
    const file = resolveInside(root, request.url ?? '/')
    const body = file === undefined ? undefined : await readFile(file).catch(() => undefined)
    if (file === undefined || body === undefined) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n')
      return
    }
    response.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'content-length': body.length,
      'cache-control': 'no-cache',
    })
    response.end(request.method === 'HEAD' ? undefined : body)
  })
  const host = options.host ?? DEFAULT_HOST
  await new Promise<void>((ready, fail) => {
    server.once('error', fail)
    server.listen(options.port ?? DEFAULT_PORT, host, () => ready())
  })
  const close = () =>
    new Promise<void>((done) => {
      server.closeAllConnections()
      server.close(() => done())
    })
  options.signal?.addEventListener('abort', () => void close(), { once: true })
  const { port } = server.address() as AddressInfo
  const shown = host.includes(':') ? `[${host}]` : host
  return { url: `http://${shown}:${port}/`, close }
}
