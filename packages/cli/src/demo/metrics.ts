/** Metrics checks: a real scrape of the node's registry through the HTTP plugin. */
import { get } from 'node:http'
import { createNode } from '@parley/core'
import { type PrometheusServer, prometheus } from '@parley/metrics-prometheus'
import { type DemoCheck, expectThat } from './check.ts'

interface Scrape {
  status: number
  contentType: string
  body: string
}

function scrape(url: string, signal: AbortSignal): Promise<Scrape> {
  return new Promise((resolve, reject) => {
    const request = get(url, { signal, agent: false }, (response) => {
      let body = ''
      response.setEncoding('utf8')
      response.on('data', (chunk: string) => {
        body += chunk
      })
      response.on('end', () =>
        resolve({
          status: response.statusCode ?? 0,
          contentType: response.headers['content-type'] ?? '',
          body,
        }),
      )
      response.on('error', reject)
    })
    request.on('error', reject)
  })
}

export const metricsChecks: readonly DemoCheck[] = [
  {
    name: 'metrics.scrape',
    async run(context, signal) {
      const node = createNode({
        name: 'demo-metrics',
        services: { metrics: prometheus({ address: '127.0.0.1', port: 0 }) },
        logger: context.logger,
      })
      await node.start({ signal })
      try {
        const checks = node.metrics.counter({
          name: 'parley_demo_scrapes_total',
          help: 'Scrapes made by parley demo',
        })
        checks.inc()
        const url = node.service<PrometheusServer>('metrics').url()
        expectThat(url !== undefined, 'the metrics server reports no URL after start')
        const response = await scrape(url, signal)
        expectThat(response.status === 200, `GET ${url} answered ${response.status}`)
        expectThat(
          response.contentType.startsWith('text/plain'),
          `unexpected content type ${response.contentType}`,
        )
        expectThat(
          /^parley_demo_scrapes_total(\{[^}]*\})? 1$/m.test(response.body),
          'the scrape lacks parley_demo_scrapes_total 1',
        )
        const names = new Set(response.body.match(/^parley_[a-z0-9_]+/gm) ?? [])
        return `${url}: ${names.size} parley_ series`
      } finally {
        await node.stop()
      }
    },
  },
]
