/** Bad input over the wire: each refusal has its status code and metric, and the service keeps serving. */
import { encodeWakuMessage } from '@parley/protocol-waku2'
import { lpStream } from 'it-length-prefixed-stream'
import { afterEach, describe, expect, it } from 'vitest'
import {
  decodeLightpushResponse,
  decodePushRpc,
  encodeLightpushRequest,
  encodePushRpc,
  LIGHTPUSH_V2_CODEC,
  LIGHTPUSH_V3_CODEC,
} from '../src/index.ts'
import { type ServiceNode, startLightNode, startServiceNode, stopAll, utf8 } from './fixtures.ts'

afterEach(stopAll)

type Light = Awaited<ReturnType<typeof startLightNode>>

async function openStream(light: Light, service: ServiceNode, protocol: string) {
  return light.host.dialProtocol(service.address, protocol)
}

async function exchange(
  light: Light,
  service: ServiceNode,
  protocol: string,
  body: Uint8Array,
): Promise<Uint8Array> {
  const stream = await openStream(light, service, protocol)
  const framed = lpStream(stream)
  await framed.write(body)
  const answer = (await framed.read()).subarray()
  await stream.close()
  return answer
}

const message = encodeWakuMessage({ payload: utf8('x'), contentTopic: '/parley/1/rejections/proto' })

describe('lightpush service rejections', () => {
  it('answers malformed, incomplete and oversize v3 requests with 400 and 413', async () => {
    const service = await startServiceNode({ maxRequestSize: 512 })
    const light = await startLightNode()
    const v3 = async (body: Uint8Array) =>
      decodeLightpushResponse(await exchange(light, service, LIGHTPUSH_V3_CODEC, body))
    const garbage = await v3(Uint8Array.of(0xa2, 0x01, 0x05))
    expect(garbage).toMatchObject({ requestId: 'N/A', statusCode: 400 })
    expect(garbage.statusDesc).toMatch(/^decode_rpc_failure: /)
    expect(await v3(encodeLightpushRequest({ requestId: 'r' }))).toMatchObject({
      statusCode: 400,
      statusDesc: 'decode_rpc_failure: missing required field message',
    })
    expect(await v3(new Uint8Array(1000))).toEqual({
      requestId: 'N/A',
      statusCode: 413,
      statusDesc: 'request exceeds 512 bytes',
    })
    const { recorded } = service.components
    expect(recorded.get('parley_waku2_lightpush_errors_total{type="decode_rpc_failure"}')).toBe(2)
    expect(recorded.get('parley_waku2_lightpush_errors_total{type="oversize_request"}')).toBe(1)
    expect(recorded.get('parley_waku2_lightpush_responses_total{protocol="v3",status_code="400"}')).toBe(2)
    // still serving: a well-formed request gets its own answer (no relay peer here)
    expect(await v3(encodeLightpushRequest({ requestId: 'ok', message }))).toMatchObject({
      requestId: 'ok',
      statusCode: 505,
    })
  })

  it('answers malformed and empty 2.0.0-beta1 requests with is_success false', async () => {
    const service = await startServiceNode()
    const light = await startLightNode()
    const v2 = async (body: Uint8Array) =>
      decodePushRpc(await exchange(light, service, LIGHTPUSH_V2_CODEC, body))
    const garbage = await v2(Uint8Array.of(0x12, 0x05))
    expect(garbage.response?.isSuccess).toBe(false)
    expect(garbage.response?.info).toMatch(/^decode_rpc_failure: /)
    expect(await v2(encodePushRpc({ requestId: 'e' }))).toEqual({
      requestId: 'e',
      response: { isSuccess: false, info: 'empty_request_body_failure' },
    })
    expect(
      await v2(
        encodePushRpc({
          requestId: 'b',
          request: {
            pubsubTopic: '/waku/2/rs/0/0',
            message: encodeWakuMessage({ payload: utf8('x'), contentTopic: 'bad' }),
          },
        }),
      ),
    ).toEqual({
      requestId: 'b',
      response: { isSuccess: false, info: 'Invalid content-topic: bad' },
    })
  })

  it('answers 429 over the per-peer rate and over the concurrency limit', async () => {
    const service = await startServiceNode({
      rateLimit: { requests: 2, periodMs: 60_000 },
      maxConcurrentRequests: 1,
    })
    const light = await startLightNode()
    // One request that never sends its body holds the only slot.
    const stalled = await openStream(light, service, LIGHTPUSH_V3_CODEC)
    // the stream is open on our side before the service's handler has taken the slot
    await expect.poll(() => service.lightpush.activeRequests, { timeout: 10_000 }).toBe(1)
    const busy = decodeLightpushResponse(
      await exchange(light, service, LIGHTPUSH_V3_CODEC, encodeLightpushRequest({ requestId: 'b', message })),
    )
    expect(busy).toEqual({
      requestId: 'N/A',
      statusCode: 429,
      statusDesc: 'Request rejected due to too many requests',
    })
    stalled.abort(new Error('done'))
    const limited = decodePushRpc(
      await exchange(
        light,
        service,
        LIGHTPUSH_V2_CODEC,
        encodePushRpc({ requestId: 'l', request: { pubsubTopic: '/waku/2/rs/0/0', message } }),
      ),
    )
    expect(limited).toEqual({
      requestId: 'N/A',
      response: { isSuccess: false, info: 'Request rejected due to too many requests' },
    })
    const { recorded } = service.components
    expect(recorded.get('parley_waku2_lightpush_errors_total{type="busy"}')).toBe(1)
    expect(recorded.get('parley_waku2_lightpush_errors_total{type="rate_limited"}')).toBe(1)
  })

  it('gives up on a request that never arrives', async () => {
    const service = await startServiceNode({ requestTimeoutMs: 200 })
    const light = await startLightNode()
    const stalled = await openStream(light, service, LIGHTPUSH_V3_CODEC)
    const closed = await lpStream(stalled)
      .read()
      .then(
        () => 'answered',
        () => 'reset',
      )
    expect(closed).toBe('reset')
    expect(service.components.recorded.get('parley_waku2_lightpush_errors_total{type="read_failure"}')).toBe(
      1,
    )
  })
})
