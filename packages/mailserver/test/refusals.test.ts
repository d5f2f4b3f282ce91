import { generatePrivateKey } from '@parley/crypto'
import {
  encodeEnvelope,
  envelopeHash,
  envelopePow,
  seal,
  sealEnvelope,
  topicFromName,
} from '@parley/envelope'
import { messageArchive } from '@parley/interfaces'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  encodeRequestPayload,
  type MailRequest,
  MailserverRequestError,
  mailserverSymKey,
  makeRequestEnvelope,
  REQUEST_TOPIC,
  requestFailedPayload,
} from '../src/index.ts'
import {
  archiveAll,
  envelopeAt,
  idOf,
  metric,
  secp256k1,
  serverWithRequester,
  stopsAfterEach,
  until,
} from './helpers.ts'

const A = topicFromName('parley-a')
const T0 = 1_700_000_000
const SERVER = idOf(0x5e)
const symKey = await mailserverSymKey()
const stops = stopsAfterEach()

async function setup(init = {}) {
  const made = await serverWithRequester(stops, SERVER, init)
  await archiveAll(made.server, await Promise.all([0, 1, 2].map((i) => envelopeAt(A, T0 + i))))
  const { requester } = made
  const completes: Uint8Array[] = []
  const messages: Uint8Array[][] = []
  requester.addEventListener('p2p:request-complete', (event) => completes.push(event.detail.payload))
  requester.addEventListener('p2p:message', (event) => messages.push(event.detail.envelopes))
  return { ...made, requester, completes, messages }
}

function request(fields: Partial<MailRequest> = {}): MailRequest {
  return {
    lower: T0,
    upper: T0 + 60,
    bloom: new Uint8Array(0),
    topics: [A],
    limit: 10,
    cursor: new Uint8Array(0),
    batch: true,
    ...fields,
  }
}

async function sealed(fields: Partial<MailRequest> = {}, extra: object = {}) {
  return makeRequestEnvelope(
    { request: request(fields), symKey, signingKey: generatePrivateKey(), pow: 0, ...extra },
    { secp256k1, now: T0 },
  )
}

/** Runs the request through `handleRequest` and returns the refusal it rejects with. */
async function refusal(
  made: Awaited<ReturnType<typeof setup>>,
  payload: Uint8Array,
): Promise<MailserverRequestError> {
  const error = await made.server.handleRequest(made.protocol, made.requester.id, payload).then(
    () => undefined,
    (reason: unknown) => reason,
  )
  expect(error).toBeInstanceOf(MailserverRequestError)
  return error as MailserverRequestError
}

describe('mailserver: refusing bad requests', () => {
  it.each<[string, Partial<MailRequest>]>([
    ['range-too-big', { lower: T0, upper: T0 + 24 * 3600 + 1 }],
    ['invalid-range', { lower: T0 + 10, upper: T0 }],
    ['limit-too-large', { limit: 1001 }],
    ['no-bloom-or-topics', { topics: [] }],
    ['malformed', { topics: [], bloom: new Uint8Array(10) }],
  ])('answers %s with ERROR= and the request id, and serves nothing', async (reason, fields) => {
    const made = await setup()
    const { envelope, requestId } = await sealed(fields)
    const error = await refusal(made, encodeEnvelope(envelope))
    expect(error.reason).toBe(reason)
    expect(error.code).toBe('ERR_MAILSERVER_REQUEST')
    await until(() => made.completes.length === 1, 'ERROR= reply')
    expect(made.completes[0]).toEqual(requestFailedPayload({ requestId, error: error.message }))
    expect(made.messages).toHaveLength(0)
    expect(
      await metric(made.node, 'parley_mailserver_requests_total', `protocol="waku/1",result="${reason}"`),
    ).toBe(1)
  })

  it('refuses a request sealed with another password, or unsigned, as unauthenticated', async () => {
    const made = await setup()
    const other = await sealed({}, { symKey: await mailserverSymKey('not-the-password') })
    expect((await refusal(made, encodeEnvelope(other.envelope))).reason).toBe('unauthenticated')
    const data = seal({ payload: encodeRequestPayload(request()), symKey }, { secp256k1 })
    const unsigned = await sealEnvelope({ topic: REQUEST_TOPIC, data, ttl: 50, pow: 0 }, { now: T0 })
    const error = await refusal(made, encodeEnvelope(unsigned))
    expect(error.reason).toBe('unauthenticated')
    expect(error.requestId).toEqual(envelopeHash(unsigned))
  })

  it('refuses too little proof of work when a minimum is set', async () => {
    const made = await setup({ minRequestPow: 50 })
    // Nonce 0 of random (encrypted, signed) data reached 50 about 1 time in 10^6 (20 zero bits);
    // the nonce is outside the signature, so stepping it keeps the request valid.
    const { envelope } = await sealed()
    while (envelopePow(envelope) >= 50) envelope.nonce++
    expect((await refusal(made, encodeEnvelope(envelope))).reason).toBe('pow-too-low')
  })

  it('refuses bytes that are no request without a reply (there is no id to answer)', async () => {
    const made = await setup()
    for (const bytes of [
      new Uint8Array(0),
      new Uint8Array([0xc0]),
      new Uint8Array([0xc5, 1, 2, 3, 4, 5]),
      new Uint8Array([0xff]),
    ]) {
      expect((await refusal(made, bytes)).reason).toBe('malformed')
    }
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(made.completes).toHaveLength(0)
  })

  it('rate-limits a flood per peer and keeps serving other peers; the archive is intact', async () => {
    const made = await setup({ rateLimit: { requests: 3, windowMs: 60_000 } })
    const reasons: string[] = []
    for (let i = 0; i < 6; i++) {
      const payload = encodeEnvelope((await sealed()).envelope)
      await made.server.handleRequest(made.protocol, made.requester.id, payload).then(
        () => reasons.push('served'),
        (error: MailserverRequestError) => reasons.push(error.reason),
      )
    }
    expect(reasons).toEqual(['served', 'served', 'served', 'rate-limited', 'rate-limited', 'rate-limited'])
    const other = await made.server.handleRequest(
      made.protocol,
      idOf(0xc2),
      encodeEnvelope((await sealed()).envelope),
    )
    expect(other.envelopes).toBe(3)
    expect(await made.node.get(messageArchive).count()).toBe(3)
    expect(
      await metric(made.node, 'parley_mailserver_requests_total', 'protocol="waku/1",result="rate-limited"'),
    ).toBe(3)
  })

  it('whatever bytes arrive, the server only refuses with a typed error and the archive stays as it was', async () => {
    const made = await setup()
    const template = encodeEnvelope((await sealed()).envelope)
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.uint8Array({ maxLength: 200 }),
          fc
            .tuple(fc.nat({ max: template.length - 1 }), fc.integer({ min: 1, max: 255 }))
            .map(([at, xor]) => {
              const mutated = template.slice()
              mutated[at] = mutated[at]! ^ xor
              return mutated
            }),
        ),
        async (payload) => {
          await made.server
            .handleRequest(made.protocol, made.requester.id, payload)
            .catch((error: unknown) => {
              expect(error).toBeInstanceOf(MailserverRequestError)
            })
        },
      ),
      { numRuns: 150 },
    )
    expect(await made.node.get(messageArchive).count()).toBe(3)
  })

  it('emits mailserver:refused with the reason', async () => {
    const made = await setup()
    const refused: Array<{ reason: string }> = []
    made.node.events.addEventListener('mailserver:refused', (event) => refused.push(event.detail))
    await refusal(made, encodeEnvelope((await sealed({ limit: 5000 })).envelope))
    expect(refused.map((detail) => detail.reason)).toEqual(['limit-too-large'])
  })
})
