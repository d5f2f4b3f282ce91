/** One request, one response, each a varint-length-prefixed protobuf on its own libp2p stream. */
import {
  AbortError,
  type AbortOptions,
  DecodeError,
  type Libp2pHost,
  NotFoundError,
} from '@parley/interfaces'
import { openStream, requestResponse, ServedRequest, type ServiceStream } from '@parley/protocol-waku2'
import { MAX_RPC_SIZE } from './constants.ts'

/** What the client needs of the libp2p host. */
export type StoreClientHost = Pick<Libp2pHost, 'dialProtocol'>

/** Reads one frame, lets `answer` turn it into the response, writes it and closes the stream. */
export async function serveOnce(
  stream: unknown,
  answer: (request: Uint8Array) => Promise<Uint8Array>,
  options: AbortOptions,
): Promise<void> {
  const served = new ServedRequest(stream as ServiceStream, MAX_RPC_SIZE)
  const request = await served.read(options)
  if (typeof request === 'string' || request === undefined) {
    const reason = new DecodeError(
      request === 'oversize' ? `store request over ${MAX_RPC_SIZE} bytes` : 'store request unreadable',
    )
    served.abort(reason)
    throw reason
  }
  let response: Uint8Array
  try {
    response = await answer(request)
  } catch (error) {
    served.abort(error)
    throw error
  }
  await served.reply(response, options)
}

/**
 * Opens `codec` to `peer` (a multiaddr ending in `/p2p/<id>`, dialled first, or the id of a peer the
 * host knows), sends `request` and resolves with the response frame.
 */
export async function exchange(
  host: StoreClientHost,
  peer: string,
  codec: string,
  request: Uint8Array,
  options: AbortOptions = {},
): Promise<Uint8Array> {
  const { signal } = options
  if (signal?.aborted === true) throw new AbortError('store query aborted')
  try {
    const stream = await open(host, peer, codec, options)
    return await requestResponse(stream, request, { signal, maxResponseSize: MAX_RPC_SIZE })
  } catch (error) {
    // Re-read: the signal may have aborted while awaiting (TypeScript narrowed it above).
    if ((signal as AbortSignal | undefined)?.aborted === true && !(error instanceof AbortError))
      throw new AbortError('store query aborted', { cause: error })
    throw error
  }
}

/** Opens `codec` to `peer`; a bare peer id the host cannot reach is a `NotFoundError`. */
async function open(host: StoreClientHost, peer: string, codec: string, options: AbortOptions) {
  try {
    return await openStream(host, peer, codec, options)
  } catch (error) {
    const unreachableId =
      !peer.startsWith('/') && error instanceof Error && error.name === 'NoValidAddressesError'
    if (unreachableId)
      throw new NotFoundError(`unknown store peer ${peer}; pass its multiaddr`, { cause: error })
    throw error
  }
}
