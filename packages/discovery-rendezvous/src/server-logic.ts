import {
  MessageType,
  type MessageTypeNumber,
  type RendezvousMessage,
  type RendezvousResponse,
  Status,
} from './messages.ts'
import type { RendezvousRegistry } from './registry.ts'

export interface RequestContext {
  /** the requester's address as the server sees it, for REMOTEIP */
  remoteIp?: string
  /** who sent the request (a libp2p peer id), for the registry's per-peer limit */
  peer?: string
}

/**
 * The server's answer to one request, or `undefined` when the Go server would close the stream
 * without answering (a response type sent as a request).
 */
export function handleRequest(
  registry: RendezvousRegistry,
  request: RendezvousMessage,
  context: RequestContext = {},
): RendezvousResponse | undefined {
  switch (request.type) {
    case MessageType.REGISTER: {
      const result = registry.register(request.topic, request.record, request.ttlNs, context.peer)
      return { type: MessageType.REGISTER_RESPONSE, ...result }
    }
    case MessageType.DISCOVER:
      // The current server caps an oversized limit rather than refusing it (2018 versions refused).
      return {
        type: MessageType.DISCOVER_RESPONSE,
        status: Status.OK,
        message: '',
        records: registry.discover(request.topic, request.limit),
      }
    case MessageType.REMOTEIP:
      return context.remoteIp === undefined
        ? { type: MessageType.REMOTEIP_RESPONSE, status: Status.E_INTERNAL_ERROR, ip: '' }
        : { type: MessageType.REMOTEIP_RESPONSE, status: Status.OK, ip: context.remoteIp }
    default:
      return undefined
  }
}

/**
 * What the server answers when a request's type was read but its body did not decode
 * (`RendezvousDecodeError.messageType`): E_INVALID_CONTENT for REGISTER and DISCOVER, nothing
 * otherwise.
 */
export function invalidContentResponse(type: MessageTypeNumber | undefined): RendezvousResponse | undefined {
  if (type === MessageType.REGISTER) {
    return { type: MessageType.REGISTER_RESPONSE, status: Status.E_INVALID_CONTENT, message: '' }
  }
  if (type === MessageType.DISCOVER) {
    return { type: MessageType.DISCOVER_RESPONSE, status: Status.E_INVALID_CONTENT, message: '', records: [] }
  }
  return undefined
}
