import { InvalidParametersError } from '@parley/interfaces'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { handleBody, type RpcMethod } from '../src/index.ts'

const methods = new Map<string, RpcMethod>([
  ['echo', (params) => params],
  [
    'fail',
    () => {
      throw new InvalidParametersError('caller mistake')
    },
  ],
  [
    'bug',
    () => {
      throw new TypeError('secret internals')
    },
  ],
])

describe('handleBody', () => {
  it('answers any text with a JSON-RPC response, never a throw', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string(), fc.json()), async (body) => {
        const text = await handleBody(body, methods)
        if (text === undefined) return // only notifications
        const parsed = JSON.parse(text)
        for (const response of Array.isArray(parsed) ? parsed : [parsed]) {
          expect(response.jsonrpc).toBe('2.0')
          expect('result' in response !== 'error' in response).toBe(true)
        }
      }),
      { numRuns: 300 },
    )
  })

  it('hides unexpected errors and reports ParleyErrors as -32000', async () => {
    const seen: string[] = []
    const body = JSON.stringify([
      { jsonrpc: '2.0', id: 1, method: 'fail' },
      { jsonrpc: '2.0', id: 2, method: 'bug' },
      { jsonrpc: '2.0', id: 3, method: 'echo', params: [1, 'a'] },
    ])
    const responses = JSON.parse(
      (await handleBody(body, methods, { onUnexpectedError: (method) => seen.push(method) }))!,
    )
    expect(responses).toEqual([
      { jsonrpc: '2.0', id: 1, error: { code: -32000, message: 'caller mistake' } },
      { jsonrpc: '2.0', id: 2, error: { code: -32000, message: 'internal error' } },
      { jsonrpc: '2.0', id: 3, result: [1, 'a'] },
    ])
    expect(seen).toEqual(['bug'])
  })

  it('rejects bad ids and oversized batches', async () => {
    const badId = JSON.parse((await handleBody('{"jsonrpc":"2.0","id":{},"method":"echo"}', methods))!)
    expect(badId).toEqual({ jsonrpc: '2.0', id: null, error: { code: -32600, message: 'invalid request' } })
    const batch = JSON.stringify(
      Array.from({ length: 1001 }, (_, id) => ({ jsonrpc: '2.0', id, method: 'echo' })),
    )
    expect(JSON.parse((await handleBody(batch, methods))!)).toMatchObject({
      error: { message: 'batch too large' },
    })
  })
})
