import { createServer } from 'node:http'
import { closeServer, listen, reply } from '@parley/http'
import { AbortError } from '@parley/interfaces'
import { readmeExample, runExample } from '@parley/test-support'
import { describe, expect, it } from 'vitest'

const options = { port: 0, host: '127.0.0.1', abortMessage: 'start aborted' }

describe('http helpers', () => {
  it('listens, replies with a length, and closes even with a keep-alive client', async () => {
    const server = createServer((request, response) =>
      reply(response, 200, 'text/plain', 'hello\n', request.method === 'HEAD'),
    )
    await listen(server, { ...options, onError: (cause) => cause })
    const { port } = server.address() as { port: number }
    const response = await fetch(`http://127.0.0.1:${port}/`, { headers: { connection: 'keep-alive' } })
    expect(response.headers.get('content-length')).toBe('6')
    expect(await response.text()).toBe('hello\n')
    const head = await fetch(`http://127.0.0.1:${port}/`, { method: 'HEAD' })
    expect(head.headers.get('content-length')).toBe('6')
    await closeServer(server)
    expect(server.listening).toBe(false)
  })

  it('rejects with the caller error when the port is taken', async () => {
    const first = createServer()
    await listen(first, { ...options, onError: (cause) => cause })
    const { port } = first.address() as { port: number }
    const second = createServer()
    const error = await listen(second, {
      ...options,
      port,
      onError: (cause) => new Error(`taken: ${cause.message}`),
    }).catch((e: unknown) => e)
    expect(String(error)).toMatch(/taken: .*EADDRINUSE/)
    await closeServer(first)
  })

  it('rejects with AbortError and closes when aborted', async () => {
    const server = createServer()
    const controller = new AbortController()
    const listening = listen(server, { ...options, signal: controller.signal, onError: (cause) => cause })
    controller.abort()
    await expect(listening).rejects.toBeInstanceOf(AbortError)
  })

  it('runs its README example', async () => {
    const example = readmeExample(new URL('../README.md', import.meta.url))
    expect((await runExample(example)).lines).toEqual(['ok\n'])
  })
})
