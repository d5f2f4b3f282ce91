/**
 * `/lightpush/v3/message`: this node's own lightpush service when it runs one (nwaku's
 * self-hosted case), else its lightpush client through `lightpushPeer` (nwaku's `--lightpushnode`).
 */
import type { WakuLightpushOutcome } from '@parley/interfaces'
import { encodeWakuMessage, nowNanoseconds } from '@parley/protocol-waku2'
import { BadRequestError, isRecord, messageFromJson } from '../json.ts'
import { json, type RestResponse, type RouteGroup } from '../router.ts'
import type { RestServices, RouteSettings } from '../services.ts'
import { describe } from './node.ts'
import { checkPubsubTopic } from './relay.ts'

/** nwaku's lightpush INVALID_MESSAGE (420) is no HTTP status; it answers 400 for it. */
const INVALID_MESSAGE = 420

function reply(outcome: WakuLightpushOutcome): RestResponse {
  if (outcome.statusCode === 200) return json({ relayPeerCount: outcome.relayPeerCount ?? 0 })
  const status =
    outcome.statusCode === INVALID_MESSAGE
      ? 400
      : outcome.statusCode >= 400 && outcome.statusCode < 600
        ? outcome.statusCode
        : 500
  return json({ statusDesc: outcome.statusDesc ?? 'lightpush failed' }, status)
}

export function lightpushRoutes(
  services: Pick<RestServices, 'lightpush' | 'lightpushClient'>,
  settings: RouteSettings,
): RouteGroup {
  const { lightpush, lightpushClient } = services
  return {
    routes: [
      {
        method: 'POST',
        pattern: '/lightpush/v3/message',
        handler: async (request) => {
          const body = await request.body()
          if (!isRecord(body))
            throw new BadRequestError('Invalid push request! the body must be a JSON object')
          const { pubsubTopic } = body
          if (pubsubTopic !== undefined && pubsubTopic !== null && typeof pubsubTopic !== 'string')
            throw new BadRequestError('Invalid push request! pubsubTopic must be a string')
          const topic =
            typeof pubsubTopic === 'string' && pubsubTopic !== '' ? checkPubsubTopic(pubsubTopic) : undefined
          const message = messageFromJson(body.message, nowNanoseconds())
          const signal = AbortSignal.any([request.signal, AbortSignal.timeout(settings.requestTimeoutMs)])
          if (lightpush !== undefined)
            return reply(await lightpush.push(topic, encodeWakuMessage(message), { signal }))
          if (lightpushClient === undefined)
            return json({ statusDesc: 'lightpush is not mounted on this node' }, 404)
          const peer = settings.lightpushPeer
          if (peer === undefined)
            return json({ statusDesc: 'No suitable service peer & no discovery method' }, 503)
          try {
            const result = await lightpushClient.lightpush(
              peer,
              { ...message, ...(topic === undefined ? {} : { pubsubTopic: topic }) },
              { signal },
            )
            return reply({ statusCode: 200, relayPeerCount: result.relayPeerCount ?? 0 })
          } catch (error) {
            const code = (error as { statusCode?: unknown }).statusCode
            if (typeof code === 'number') return reply({ statusCode: code, statusDesc: describe(error) })
            if (error instanceof Error && error.name === 'InvalidParametersError')
              return reply({ statusCode: 400, statusDesc: error.message })
            return json({ statusDesc: `Failed to request a message push: ${describe(error)}` }, 503)
          }
        },
      },
    ],
  }
}
