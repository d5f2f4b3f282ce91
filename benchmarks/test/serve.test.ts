/** `parley bench serve` and the static server under it: loopback by default, nothing outside the page. */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { benchServeCommand } from '../../packages/cli/src/commands/bench.ts'
import { resolveInside, serveBenchPage } from '../src/serve.ts'

let root: string

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'parley-serve-'))
  await mkdir(join(root, 'page', 'assets'), { recursive: true })
  await writeFile(join(root, 'page', 'index.html'), '<!doctype html><title>bench</title>')
  await writeFile(join(root, 'page', 'assets', 'a.js'), 'export {}')
  await writeFile(join(root, 'secret.txt'), 'not for the network')
})

afterAll(async () => {
  await rm(root, { recursive: true, force: true })
})

/** A raw request, so the path reaches the server exactly as written (fetch would normalise `..`). */
function get(url: string, path: string, method = 'GET') {
  return new Promise<{ status: number; type: string | undefined; body: string }>((resolve, reject) => {
    const req = request(new URL(url), { path, method, agent: false }, (response) => {
      let body = ''
      response.on('data', (chunk: Buffer) => {
        body += chunk.toString()
      })
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, type: response.headers['content-type'], body }),
      )
    })
    req.on('error', reject)
    req.end()
  })
}

describe('serveBenchPage', () => {
  it('serves the page on 127.0.0.1 with content types, and nothing outside it', async () => {
    const server = await serveBenchPage({ dir: join(root, 'page'), port: 0 })
    try {
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/)
      expect(await get(server.url, '/')).toMatchObject({ status: 200, type: 'text/html; charset=utf-8' })
      expect(await get(server.url, '/assets/a.js?v=1')).toMatchObject({ status: 200, body: 'export {}' })
      expect((await get(server.url, '/../secret.txt')).status).toBe(404)
      expect((await get(server.url, '/%2e%2e/secret.txt')).status).toBe(404)
      expect((await get(server.url, '/missing.js')).status).toBe(404)
      expect((await get(server.url, '/', 'POST')).status).toBe(405)
      expect(await get(server.url, '/', 'HEAD')).toMatchObject({ status: 200, body: '' })
    } finally {
      await server.close()
    }
  })

  it('says to build the page first when there is none', async () => {
    await expect(serveBenchPage({ dir: root, port: 0 })).rejects.toThrow(/pnpm bench:web/)
  })

  it('keeps resolved paths inside the root', () => {
    expect(resolveInside('/srv/page', '/')).toBe('/srv/page/index.html')
    expect(resolveInside('/srv/page', '/a/../b.js')).toBe('/srv/page/b.js')
    // `..` above the root stays at the root, as in any URL
    expect(resolveInside('/srv/page', '/../page2/x')).toBe('/srv/page/page2/x')
    expect(resolveInside('/srv/page', '..%2f..%2fetc/passwd')).toBeUndefined()
    expect(resolveInside('/srv/page', '/%E0%A4%A')).toBeUndefined()
  })
})

describe('parley bench serve', () => {
  it('serves until its signal ends it, on loopback unless --host says otherwise', async () => {
    const out: string[] = []
    const controller = new AbortController()
    const running = benchServeCommand.run({
      io: { stdout: { write: (t: string) => out.push(t) }, stderr: { write: () => true }, env: {} },
      flags: { host: '127.0.0.1', port: 0, dir: join(root, 'page') },
      args: [],
      config: undefined,
      signal: controller.signal,
    })
    await expect.poll(() => out.join(''), { timeout: 10_000 }).toMatch(/serving the benchmark page on http/)
    const url = /(http:\/\/\S+)/.exec(out.join(''))![1]!
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:/)
    expect(out.join('')).toMatch(/--host 0\.0\.0\.0/)
    expect((await get(url, '/')).status).toBe(200)
    controller.abort()
    expect(await running).toBe(0)
    await expect(get(url, '/')).rejects.toThrow(/ECONNREFUSED/)
  })
})
