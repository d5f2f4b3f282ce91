import { request } from 'node:http'
import { connect, createServer } from 'node:net'
import { lifecycleSuite, pluginSuite, settle } from '@parley/compliance-tests'
import type { Components, Logger, Metrics } from '@parley/interfaces'
import { type PrometheusServer, prometheus } from '@parley/metrics-prometheus'
import { afterEach, describe, expect, it } from 'vitest'

const EXPOSITION =
  '# HELP parley_test_total A test counter\n# TYPE parley_test_total counter\nparley_test_total 3\n'
const CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8'

function silentLogger(): Logger {
  const log = Object.assign(() => {}, {
    trace() {},
    debug() {},
    info() {},
    warn() {},
    error() {},
    enabled: false,
    namespace: 'test',
    child: () => log,
  })
  return log
}

function fakeMetrics(expose: () => Promise<string> = async () => EXPOSITION): Metrics {
  const unused = () => {
    throw new Error('not used by the server')
  }
  return { counter: unused, gauge: unused, histogram: unused, expose, contentType: CONTENT_TYPE }
}

function createServerFor(init: Parameters<typeof prometheus>[0], metrics = fakeMetrics()): PrometheusServer {
  const components = { metrics, logger: { forComponent: () => silentLogger() } }
  return prometheus(init).create(components as unknown as Components)
}

interface Response {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: string
}

function get(port: number, path: string, method = 'GET'): Promise<Response> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, agent: false }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => {
        body += chunk
      })
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }))
    })
    req.on('error', reject)
    req.end()
  })
}

const started: PrometheusServer[] = []
afterEach(async () => {
  await Promise.all(started.splice(0).map((server) => server.stop()))
})

async function startOnEphemeralPort(metrics?: Metrics): Promise<{ server: PrometheusServer; port: number }> {
  const server = createServerFor({ port: 0 }, metrics)
  await server.start()
  started.push(server)
  const bound = server.address()
  if (bound === undefined) throw new Error('server did not report an address')
  return { server, port: bound.port }
}

describe('prometheus()', () => {
  it('is a plugin named metrics-prometheus that needs nothing', () => {
    const plugin = prometheus()
    expect(plugin.name).toBe('metrics-prometheus')
    expect(plugin.needs ?? []).toEqual([])
  })

  it('serves the exposition with the registry content type over a real socket', async () => {
    const { server, port } = await startOnEphemeralPort()
    expect(server.address()?.host).toBe('127.0.0.1')
    expect(server.url()).toBe(`http://127.0.0.1:${port}/metrics`)
    const response = await get(port, '/metrics?name[]=parley_test_total')
    expect(response.status).toBe(200)
    expect(response.headers['content-type']).toBe(CONTENT_TYPE)
    expect(response.body).toBe(EXPOSITION)
  })

  it('answers 404 on other paths and 405 on other methods', async () => {
    const { port } = await startOnEphemeralPort()
    expect((await get(port, '/')).status).toBe(404)
    expect((await get(port, '/metrics/extra')).status).toBe(404)
    const post = await get(port, '/metrics', 'POST')
    expect(post.status).toBe(405)
    expect(post.headers.allow).toBe('GET, HEAD')
  })

  it('answers 500 when the registry fails, and keeps serving', async () => {
    let fail = true
    const { port } = await startOnEphemeralPort(
      fakeMetrics(async () => {
        if (fail) throw new Error('registry broke')
        return EXPOSITION
      }),
    )
    expect((await get(port, '/metrics')).status).toBe(500)
    fail = false
    expect((await get(port, '/metrics')).status).toBe(200)
  })

  it('serves a custom path', async () => {
    const server = createServerFor({ port: 0, path: '/prom' })
    await server.start()
    started.push(server)
    const port = server.address()?.port ?? 0
    expect((await get(port, '/prom')).body).toBe(EXPOSITION)
    expect((await get(port, '/metrics')).status).toBe(404)
  })

  it('frees the port on stop, and start/stop are idempotent', async () => {
    const { server, port } = await startOnEphemeralPort()
    await server.start()
    expect(server.address()?.port).toBe(port)
    await server.stop()
    await server.stop()
    expect(server.isStarted()).toBe(false)
    expect(server.address()).toBeUndefined()
    await expect(get(port, '/metrics')).rejects.toThrow(/ECONNREFUSED/)

    const again = createServerFor({ port })
    await again.start()
    started.push(again)
    expect(again.address()?.port).toBe(port)
  })

  it('stop closes connections still open, even one mid-request', async () => {
    const { server, port } = await startOnEphemeralPort()
    const socket = connect(port, '127.0.0.1')
    await new Promise((resolve) => socket.once('connect', resolve))
    // An unfinished request: http.Server#close alone would wait for it.
    socket.write('GET /metrics HTTP/1.1\r\nHost: x\r\n')
    const socketClosed = new Promise((resolve) => socket.once('close', resolve))
    const outcome = await Promise.race([
      server.stop().then(() => 'stopped'),
      new Promise((resolve) => setTimeout(() => resolve('hung'), 10_000)),
    ])
    socket.destroy()
    expect(outcome).toBe('stopped')
    await socketClosed
  })

  it('concurrent starts share one listening server, and stop releases it', async () => {
    const servers = () => process.getActiveResourcesInfo().filter((kind) => kind === 'TCPServerWrap').length
    await settle()
    const before = servers()
    const server = createServerFor({ port: 0 })
    await Promise.all([server.start(), server.start(), server.start()])
    expect(servers() - before).toBe(1)
    await Promise.all([server.stop(), server.stop()])
    await settle()
    expect(servers()).toBe(before)
  })

  it('rejects with a named error when the port is taken', async () => {
    const blocker = createServer()
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve))
    const port = (blocker.address() as { port: number }).port
    try {
      const server = createServerFor({ port })
      await expect(server.start()).rejects.toMatchObject({ code: 'ERR_METRICS_SERVER' })
      expect(server.isStarted()).toBe(false)
    } finally {
      await new Promise((resolve) => blocker.close(resolve))
    }
  })

  it('honours an aborted signal', async () => {
    const server = createServerFor({ port: 0 })
    await expect(server.start({ signal: AbortSignal.abort() })).rejects.toMatchObject({ code: 'ERR_ABORTED' })
    expect(server.isStarted()).toBe(false)
  })
})

pluginSuite('metrics-prometheus', () => prometheus({ port: 0 }))
lifecycleSuite('metrics-prometheus server', {
  setup: async () => createServerFor({ port: 0 }),
  teardown: async (server) => server.stop(),
})
