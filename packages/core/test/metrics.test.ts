import { prometheusMetrics } from '@parley/core'
import { InvalidParametersError } from '@parley/interfaces'
import { describe, expect, it } from 'vitest'

describe('prometheusMetrics', () => {
  it('exposes counters, gauges and histograms with labels', async () => {
    const metrics = prometheusMetrics()
    metrics
      .counter({ name: 'parley_test_envelopes_total', help: 'Envelopes', labelNames: ['protocol'] })
      .inc({ protocol: 'shh/6' }, 3)
    const peers = metrics.gauge({ name: 'parley_test_peers', help: 'Peers' })
    peers.set(5)
    peers.inc()
    peers.dec(undefined, 2)
    const latency = metrics.histogram({ name: 'parley_test_seconds', help: 'Latency', buckets: [0.1, 1] })
    latency.observe(0.5)
    const end = latency.startTimer()
    expect(end()).toBeGreaterThanOrEqual(0)
    const text = await metrics.expose()
    expect(text).toContain('parley_test_envelopes_total{protocol="shh/6"} 3')
    expect(text).toContain('parley_test_peers 4')
    expect(text).toContain('parley_test_seconds_bucket{le="1"} 2')
    expect(text).toContain('parley_test_seconds_count 2')
  })

  it('returns the same metric for the same name, and refuses a conflicting one', () => {
    const metrics = prometheusMetrics()
    const first = metrics.counter({ name: 'parley_test_total', help: 'x' })
    expect(metrics.counter({ name: 'parley_test_total', help: 'x' })).toBe(first)
    expect(() => metrics.gauge({ name: 'parley_test_total', help: 'x' })).toThrow(InvalidParametersError)
    expect(() => metrics.counter({ name: 'parley_test_total', help: 'x', labelNames: ['a'] })).toThrow(
      InvalidParametersError,
    )
    expect(() => metrics.counter({ name: 'not a name', help: 'x' })).toThrow(InvalidParametersError)
  })

  it('prefixes names and optionally collects process metrics, per registry', async () => {
    const metrics = prometheusMetrics({ prefix: 'node1_', defaultMetrics: true })
    metrics.counter({ name: 'parley_x_total', help: 'x' }).inc()
    const text = await metrics.expose()
    expect(text).toContain('node1_parley_x_total 1')
    expect(text).toContain('node1_process_cpu_user_seconds_total')
    expect(await prometheusMetrics().expose()).toBe('\n')
  })
})
