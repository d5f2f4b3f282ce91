/** Round-trip time to a mailserver as status-go measures it: how long a TCP connect takes. */
import { connect } from 'node:net'
import { TimeoutError } from '@parley/interfaces'
import type { EnodeAddress } from './enode.ts'

export type Ping = (address: EnodeAddress, timeoutMs: number) => Promise<number>

/** Resolves with the connect time in ms; rejects when the connection fails or takes over `timeoutMs`. */
export const tcpPing: Ping = (address, timeoutMs) =>
  new Promise((resolve, reject) => {
    const started = performance.now()
    const socket = connect({ host: address.host, port: address.port })
    const timer = setTimeout(() => {
      socket.destroy()
      reject(new TimeoutError(`no TCP connection to ${address.host}:${address.port} within ${timeoutMs} ms`))
    }, timeoutMs)
    socket.once('connect', () => {
      clearTimeout(timer)
      socket.destroy()
      resolve(performance.now() - started)
    })
    socket.once('error', (error) => {
      clearTimeout(timer)
      socket.destroy()
      reject(error)
    })
  })
