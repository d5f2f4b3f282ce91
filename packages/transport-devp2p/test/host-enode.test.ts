import { generatePrivateKey, loadCrypto } from '@parley/crypto'
import { InvalidParametersError } from '@parley/interfaces'
import fc from 'fast-check'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { formatEnode, parseEnode, RedialTimers, redialDelayMs } from '../src/index.ts'

const { secp256k1: secp } = await loadCrypto()
const nodeId = Buffer.from(secp.getPublicKey(generatePrivateKey(), false).subarray(1)).toString('hex')

describe('parseEnode / formatEnode', () => {
  it('reads IPv4, IPv6 and host names, and ignores discport', () => {
    expect(parseEnode(`enode://${nodeId}@10.0.0.1:30303`)).toMatchObject({
      nodeId,
      host: '10.0.0.1',
      tcpPort: 30303,
    })
    expect(parseEnode(`enode://${nodeId.toUpperCase()}@[::1]:30304?discport=30301`)).toMatchObject({
      nodeId,
      host: '::1',
      tcpPort: 30304,
    })
    expect(parseEnode(`enode://${nodeId}@boot.example.org:443`).host).toBe('boot.example.org')
    expect(parseEnode(`enode://${nodeId}@10.0.0.1:30303`).publicKey).toEqual(
      Uint8Array.from(Buffer.from(`04${nodeId}`, 'hex')),
    )
  })

  it.each([
    ['another scheme', `enr://${nodeId}@10.0.0.1:30303`],
    ['no port', `enode://${nodeId}@10.0.0.1`],
    ['port 0', `enode://${nodeId}@10.0.0.1:0`],
    ['port too large', `enode://${nodeId}@10.0.0.1:70000`],
    ['short id', `enode://${nodeId.slice(2)}@10.0.0.1:30303`],
    ['id off the curve', `enode://${'00'.repeat(64)}@10.0.0.1:30303`],
    ['a password', `enode://${nodeId}:x@10.0.0.1:30303`],
    ['no host', `enode://${nodeId}@:30303`],
  ])('rejects %s', (_case, url) => {
    expect(() => parseEnode(url)).toThrow(InvalidParametersError)
  })

  it('round-trips formatEnode for any port and IPv4/IPv6 host', () => {
    fc.assert(
      fc.property(fc.oneof(fc.ipV4(), fc.ipV6()), fc.integer({ min: 1, max: 65535 }), (host, port) => {
        const parsed = parseEnode(formatEnode(nodeId, host, port))
        expect(parsed.tcpPort).toBe(port)
        expect(parsed.nodeId).toBe(nodeId)
        // IPv6 comes back in URL-normalised form; parse it again to compare.
        expect(parseEnode(formatEnode(nodeId, parsed.host, port)).host).toBe(parsed.host)
      }),
    )
  })

  it('throws only InvalidParametersError on arbitrary input', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.string().map((tail) => `enode://${nodeId}@${tail}`),
        ),
        (url) => {
          try {
            parseEnode(url)
          } catch (error) {
            expect(error).toBeInstanceOf(InvalidParametersError)
          }
        },
      ),
    )
  })
})

describe('static peer back-off', () => {
  afterEach(() => {
    vi.useRealTimers()
  })

  it('doubles from 1 s to a 60 s cap with ±20 % jitter', () => {
    expect(redialDelayMs(0, {}, () => 0.5)).toBe(1000)
    expect(redialDelayMs(3, {}, () => 0.5)).toBe(8000)
    expect(redialDelayMs(20, {}, () => 0.5)).toBe(60_000)
    expect(redialDelayMs(0, {}, () => 0)).toBe(800)
    expect(redialDelayMs(0, {}, () => 1)).toBe(1200)
    expect(redialDelayMs(1000, { initialMs: 50, maxMs: 400 }, () => 0.5)).toBe(400)
  })

  it('schedules one timer per key, backs off, resets, and clears', () => {
    vi.useFakeTimers()
    const timers = new RedialTimers({ initialMs: 100, maxMs: 1000 })
    const fired: string[] = []
    timers.schedule('a', () => fired.push('a'))
    timers.schedule('a', () => fired.push('a')) // replaces: second attempt, about 200 ms
    vi.advanceTimersByTime(150)
    expect(fired).toEqual([])
    vi.advanceTimersByTime(100)
    expect(fired).toEqual(['a'])
    timers.reset('a')
    timers.schedule('a', () => fired.push('a again'))
    vi.advanceTimersByTime(120)
    expect(fired).toEqual(['a', 'a again'])
    timers.schedule('b', () => fired.push('b'))
    timers.clear()
    vi.advanceTimersByTime(5000)
    expect(fired).toEqual(['a', 'a again'])
    expect(vi.getTimerCount()).toBe(0)
  })
})
