import { createEventBus } from '@parley/core'
import { describe, expect, it } from 'vitest'

interface TestEvents {
  ping: { n: number }
  pong: string
}

describe('createEventBus', () => {
  it('delivers typed CustomEvents and counts listeners', () => {
    const bus = createEventBus<TestEvents>()
    const seen: number[] = []
    const listener = (event: CustomEvent<{ n: number }>) => seen.push(event.detail.n)
    bus.addEventListener('ping', listener)
    bus.addEventListener('ping', listener) // ignored, as EventTarget does
    bus.addEventListener('ping', { handleEvent: (event) => seen.push(event.detail.n * 10) })
    expect(bus.listenerCount('ping')).toBe(2)
    expect(bus.safeDispatchEvent('ping', { n: 1 })).toBe(true)
    bus.removeEventListener('ping', listener)
    bus.safeDispatchEvent('ping', { n: 2 })
    expect(seen).toEqual([1, 10, 20])
    expect(bus.listenerCount('ping')).toBe(1)
    expect(bus.listenerCount('pong')).toBe(0)
    expect(bus).toBeInstanceOf(EventTarget)
  })

  it('keeps counts right for once and signal listeners', () => {
    const bus = createEventBus<TestEvents>()
    const controller = new AbortController()
    bus.addEventListener('pong', () => {}, { once: true })
    bus.addEventListener('pong', () => {}, { signal: controller.signal })
    bus.addEventListener('pong', () => {}, { signal: AbortSignal.abort() })
    expect(bus.listenerCount('pong')).toBe(2)
    bus.safeDispatchEvent('pong', 'x')
    expect(bus.listenerCount('pong')).toBe(1)
    controller.abort()
    expect(bus.listenerCount('pong')).toBe(0)
  })

  it('isolates throwing and rejecting listeners from the dispatcher and from each other', async () => {
    const errors: unknown[] = []
    const bus = createEventBus<TestEvents>({ onListenerError: (error) => errors.push(error) })
    const reached: string[] = []
    const thrown = new Error('sync bug')
    const rejected = new Error('async bug')
    bus.addEventListener('pong', () => {
      throw thrown
    })
    bus.addEventListener('pong', async () => {
      throw rejected
    })
    bus.addEventListener('pong', (event) => reached.push(event.detail))
    expect(() => bus.safeDispatchEvent('pong', 'still delivered')).not.toThrow()
    await Promise.resolve()
    expect(reached).toEqual(['still delivered'])
    expect(errors).toEqual([thrown, rejected])
  })
})
