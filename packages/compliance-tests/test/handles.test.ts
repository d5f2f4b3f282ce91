import { createServer } from 'node:net'
import { describe, expect, it } from 'vitest'
import { handlesLeftOpenBy } from '../src/index.ts'

describe('handlesLeftOpenBy', () => {
  it('reports an interval left running and a server left listening', async () => {
    const timers: Array<ReturnType<typeof setInterval>> = []
    const server = createServer()
    const leftOpen = await handlesLeftOpenBy(async () => {
      timers.push(setInterval(() => {}, 60_000))
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    })
    for (const timer of timers) clearInterval(timer)
    server.close()
    expect(leftOpen).toEqual(['TCPSERVERWRAP', 'Timeout'])
  })

  it('reports nothing for code that closes what it opened, fired one-shot timers, or unref’d timers', async () => {
    const unrefd: Array<ReturnType<typeof setInterval>> = []
    const leftOpen = await handlesLeftOpenBy(async () => {
      clearInterval(setInterval(() => {}, 60_000))
      await new Promise((resolve) => setTimeout(resolve, 1))
      unrefd.push(setInterval(() => {}, 60_000).unref())
      const server = createServer()
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
      await new Promise((resolve) => server.close(resolve))
    })
    for (const timer of unrefd) clearInterval(timer)
    expect(leftOpen).toEqual([])
  })

  it('is not fooled by timers others start or clear meanwhile', async () => {
    // The old count-based check saw no growth when a timer elsewhere ended while the leak began.
    const elsewhere = setInterval(() => {}, 60_000)
    const leaks: Array<ReturnType<typeof setInterval>> = []
    const leftOpen = await handlesLeftOpenBy(async () => {
      queueMicrotask(() => clearInterval(elsewhere))
      leaks.push(setInterval(() => {}, 60_000))
    })
    for (const timer of leaks) clearInterval(timer)
    expect(leftOpen).toEqual(['Timeout'])

    const outside: Array<ReturnType<typeof setInterval>> = []
    const clean = await handlesLeftOpenBy(async () => {
      setImmediate(() => {})
      await new Promise((resolve) => setTimeout(resolve, 1))
    })
    // A timer started outside `run`, even while it runs, is not its leak.
    outside.push(setInterval(() => {}, 60_000))
    for (const timer of outside) clearInterval(timer)
    expect(clean).toEqual([])
  })
})
