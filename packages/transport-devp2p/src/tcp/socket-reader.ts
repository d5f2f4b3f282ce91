/**
 * Reads a socket two ways: pulled chunk by chunk with a deadline while handshaking, then pushed to
 * a listener once the connection runs. Chunks that arrive between the two are kept, in order.
 */
import type { Socket } from 'node:net'
import { AbortError, DecodeError, TimeoutError } from '@parley/interfaces'
import { HandshakePacketReader } from '../handshake/packet-reader.ts'

export interface SocketReader {
  /** The next chunk; rejects with `TimeoutError`, `AbortError`, or `DecodeError` if the socket closes. */
  next(timeoutMs: number): Promise<Uint8Array>
  /** Switches to push mode; queued chunks are delivered first. */
  listen(onData: (chunk: Uint8Array) => void, onEnd: () => void): void
  stop(): void
}

export function socketReader(socket: Socket, signal?: AbortSignal): SocketReader {
  const queue: Uint8Array[] = []
  let ended = false
  let waiter: (() => void) | undefined
  let listener: { onData: (chunk: Uint8Array) => void; onEnd: () => void } | undefined
  let stopped = false

  const onData = (chunk: Uint8Array): void => {
    if (stopped) return
    if (listener !== undefined) listener.onData(chunk)
    else {
      queue.push(chunk)
      waiter?.()
    }
  }
  const onEnd = (): void => {
    if (ended || stopped) return
    ended = true
    if (listener !== undefined) listener.onEnd()
    else waiter?.()
  }
  socket.on('data', onData)
  socket.on('close', onEnd)
  // Stays attached for the socket's life: an 'error' without a listener would crash the process.
  // 'close' follows every error, and the error carries nothing the caller can act on.
  socket.on('error', onEnd)

  return {
    async next(timeoutMs) {
      for (;;) {
        const chunk = queue.shift()
        if (chunk !== undefined) return chunk
        if (ended) throw new DecodeError('the socket closed during the handshake')
        if (signal?.aborted) throw new AbortError()
        if (timeoutMs <= 0) throw new TimeoutError('the RLPx handshake timed out')
        await new Promise<void>((resolve) => {
          const done = (): void => {
            clearTimeout(timer)
            signal?.removeEventListener('abort', done)
            waiter = undefined
            resolve()
          }
          const timer = setTimeout(done, timeoutMs)
          signal?.addEventListener('abort', done, { once: true })
          waiter = done
        })
        if (queue.length === 0 && !ended && !signal?.aborted)
          throw new TimeoutError('the RLPx handshake timed out')
      }
    },
    listen(data, end) {
      listener = { onData: data, onEnd: end }
      for (let chunk = queue.shift(); chunk !== undefined; chunk = queue.shift()) data(chunk)
      if (ended) end()
    },
    stop() {
      stopped = true
      socket.off('data', onData)
      socket.off('close', onEnd)
    },
  }
}

/** Reads one auth or ack packet within `timeoutMs`; `rest` is what followed it. */
export async function readHandshake(
  reader: SocketReader,
  kind: 'auth' | 'ack',
  allowLegacy: boolean,
  timeoutMs: number,
): Promise<{ packet: Uint8Array; rest: Uint8Array }> {
  const packets = new HandshakePacketReader({ kind, allowLegacy })
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const done = packets.push(await reader.next(deadline - Date.now()))
    if (done !== undefined) return done
  }
}
