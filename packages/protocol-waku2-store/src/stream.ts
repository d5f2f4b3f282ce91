/** One request, one response, each a varint-length-prefixed protobuf on its own libp2p stream. */
import { AbortError, type AbortOptions, type Libp2pHost, NotFoundError } from '@parley/interfaces'
import { lpStream } from 'it-length-prefixed-stream'
import { MAX_RPC_SIZE } from './constants.ts'

/** What the client needs of the libp2p host. */
export type StoreClientHost = Pick<Libp2pHost, 'dialProtocol'>

/** The stream members used here (libp2p 2.x `Stream`). */
export interface StoreStream {
  close(options?: AbortOptions): Promise<void>
  abort(error: Error): void
}

type Duplex = Parameters<typeof lpStream>[0]

/** Reads one frame, lets `answer` turn it into the response, writes it and closes the stream. */
export async function serveOnce(
  stream: unknown,
  answer: (request: Uint8Array) => Promise<Uint8Array>,
  options: AbortOptions,
): Promise<void> {
  const typed = stream as StoreStream & Duplex
  try {
    const framed = lpStream(typed, { maxDataLength: MAX_RPC_SIZE })
    const request = await framed.read(options)
    await framed.write(await answer(request.subarray()), options)
    await typed.close(options)
  } catch (error) {
    typed.abort(error instanceof Error ? error : new AbortError(String(error)))
    throw error
  }
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
    const stream = (await open(host, peer, codec, options)) as StoreStream & Duplex
    try {
      const framed = lpStream(stream, { maxDataLength: MAX_RPC_SIZE })
      await framed.write(request, options)
      const response = await framed.read(options)
      await stream.close(options)
      return response.subarray()
    } catch (error) {
      stream.abort(error instanceof Error ? error : new AbortError(String(error)))
      throw error
    }
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
    return await host.dialProtocol(peer, codec, options)
  } catch (error) {
    const unreachableId =
      !peer.startsWith('/') && error instanceof Error && error.name === 'NoValidAddressesError'
    if (unreachableId)
      throw new NotFoundError(`unknown store peer ${peer}; pass its multiaddr`, { cause: error })
    throw error
  }
}
