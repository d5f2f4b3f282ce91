/** Runs the README's example as written, against the test server, so the docs cannot drift. */
import { commentedOutput, readmeExample, runExample } from '@parley/test-support'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { dropSchema } from './schemas.ts'
import { type TestServer, testServer } from './server.ts'

const README = new URL('../README.md', import.meta.url)
let server: TestServer
beforeAll(async () => {
  server = await testServer()
}, 60_000)
afterAll(() => server?.stop())

describe('README example', () => {
  it('runs and prints what its comments say', async () => {
    const previous = process.env.PARLEY_TEST_POSTGRES_URL
    process.env.PARLEY_TEST_POSTGRES_URL = server.url
    try {
      const source = readmeExample(README)
      const { lines } = await runExample(source)
      expect(lines).toEqual(['3', '0', '3,2 true', '42'])
      expect(commentedOutput(source)).toEqual(lines)
    } finally {
      if (previous === undefined) delete process.env.PARLEY_TEST_POSTGRES_URL
      else process.env.PARLEY_TEST_POSTGRES_URL = previous
      await dropSchema(server.url, `readme_${process.pid}`)
    }
  })
})
