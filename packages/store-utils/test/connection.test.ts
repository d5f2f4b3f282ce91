import { AbortError, NotStartedError } from '@parley/interfaces'
import { StoreConnection } from '@parley/store-utils'
import { describe, expect, it } from 'vitest'

/** A connection whose opens resolve when the test says so. */
function controlled() {
  const events: string[] = []
  let release: () => void = () => {}
  let opens = 0
  const connection = new StoreConnection({
    name: 'The test store',
    open: async () => {
      opens += 1
      events.push(`open ${opens}`)
      await new Promise<void>((resolve) => {
        release = resolve
      })
      return { id: opens }
    },
    close: (resource) => {
      events.push(`close ${resource.id}`)
    },
  })
  return { connection, events, release: () => release() }
}

describe('StoreConnection', () => {
  it('refuses use before start and after stop with NotStartedError', async () => {
    const connection = new StoreConnection({ name: 'The test store', open: () => 'db', close: () => {} })
    expect(() => connection.current()).toThrow(NotStartedError)
    expect(() => connection.current()).toThrow('The test store is not started')
    await connection.start()
    expect(connection.current()).toBe('db')
    expect(connection.isStarted()).toBe(true)
    await connection.stop()
    expect(connection.isStarted()).toBe(false)
    expect(() => connection.current()).toThrow(NotStartedError)
  })

  it('shares one open between concurrent starts, and a started connection does not open again', async () => {
    const { connection, events, release } = controlled()
    const starts = [connection.start(), connection.start()]
    release()
    await Promise.all(starts)
    await connection.start()
    expect(events).toEqual(['open 1'])
    expect(connection.current()).toEqual({ id: 1 })
  })

  it('lets stop wait for an open under way, then closes what it opened', async () => {
    const { connection, events, release } = controlled()
    const start = connection.start()
    const stop = connection.stop()
    release()
    await Promise.all([start, stop])
    expect(events).toEqual(['open 1', 'close 1'])
    expect(connection.isStarted()).toBe(false)
    await connection.stop() // idempotent
    expect(events).toEqual(['open 1', 'close 1'])
  })

  it('stays stopped when the open fails, and may be started again', async () => {
    let fail = true
    const connection = new StoreConnection({
      name: 'The test store',
      open: () => {
        if (fail) throw new Error('locked')
        return 'db'
      },
      close: () => {},
    })
    await expect(connection.start()).rejects.toThrow('locked')
    expect(connection.isStarted()).toBe(false)
    fail = false
    await connection.start()
    expect(connection.current()).toBe('db')
  })

  it('does not open when the signal has aborted', async () => {
    const { connection, events } = controlled()
    await expect(connection.start({ signal: AbortSignal.abort() })).rejects.toBeInstanceOf(AbortError)
    expect(events).toEqual([])
  })
})
