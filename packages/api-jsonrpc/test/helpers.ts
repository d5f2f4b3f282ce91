/** Loopback fixtures: Whisper nodes serving the JSON-RPC API, and a small fetch-based client. */
import { createNode, type ParleyNode } from '@parley/core'
import { type Capability, devp2pHost, type V1PrivacyProtocol, whisperProtocol } from '@parley/interfaces'
import { waku1 } from '@parley/protocol-waku1'
import { whisper } from '@parley/protocol-whisper'
import { devp2p } from '@parley/transport-devp2p'
import { expect } from 'vitest'
import { type JsonRpcInit, type JsonRpcServer, jsonRpc } from '../src/index.ts'

/** A node on loopback with the JSON-RPC API; Whisper by default, Waku v1 and/or Whisper on request. */
export function rpcNode(
  name: string,
  init: JsonRpcInit = {},
  protocols: { whisper?: boolean; waku?: boolean } = { whisper: true },
): ParleyNode {
  return createNode({
    name,
    transports: [devp2p({ port: 0, clientId: name })],
    protocols: [
      ...(protocols.whisper === true ? [whisper({ minPow: 0.002 })] : []),
      ...(protocols.waku === true ? [waku1({ minPow: 0.002 })] : []),
    ],
    services: { rpc: jsonRpc({ port: 0, ...init }) },
  })
}

export function rpcServer(node: ParleyNode): JsonRpcServer {
  return node.service('rpc') as JsonRpcServer
}

export interface RpcError {
  code: number
  message: string
}

/** POSTs `body` (an object, or raw text) and returns status and parsed JSON (or text). */
export async function post(url: string, body: unknown): Promise<{ status: number; json: unknown }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  })
  const text = await response.text()
  let json: unknown = text
  try {
    json = JSON.parse(text)
  } catch {}
  return { status: response.status, json }
}

let nextId = 1

/** Calls `method`; resolves with the result, rejects with the JSON-RPC error object. */
export async function call<T = unknown>(url: string, method: string, params: unknown[] = []): Promise<T> {
  const id = nextId++
  const { status, json } = await post(url, { jsonrpc: '2.0', id, method, params })
  expect(status).toBe(200)
  const response = json as { id: number; result?: T; error?: RpcError }
  expect(response.id).toBe(id)
  if (response.error !== undefined) throw response.error
  return response.result as T
}

/** The JSON-RPC error of a call that must fail. */
export async function callError(url: string, method: string, params: unknown[] = []): Promise<RpcError> {
  try {
    await call(url, method, params)
  } catch (error) {
    return error as RpcError
  }
  throw new Error(`${method} succeeded`)
}

export function urlOf(node: ParleyNode): string {
  const url = rpcServer(node).url()
  if (url === undefined) throw new Error('JSON-RPC server is not started')
  return url
}

/** Polls `check` until it holds; the bound is generous because a busy machine takes seconds over a connection. */
export async function until(
  check: () => Promise<boolean> | boolean,
  what: string,
  ms = 10_000,
): Promise<void> {
  const deadline = Date.now() + ms
  while (!(await check()) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20))
  expect(await check(), what).toBe(true)
}

/** Dials `b` from `a` and waits until both services of `protocol` accept the other's Status. */
export async function connect(
  a: ParleyNode,
  b: ParleyNode,
  protocol: Capability<V1PrivacyProtocol> = whisperProtocol,
): Promise<void> {
  await a.get(devp2pHost).dial(enodeOf(b))
  await ready(a, b, protocol)
}

/** Waits until `a` and `b` each accepted the other's Status on `protocol`. */
export async function ready(
  a: ParleyNode,
  b: ParleyNode,
  protocol: Capability<V1PrivacyProtocol> = whisperProtocol,
): Promise<void> {
  const accepted = (node: ParleyNode, peer: ParleyNode) =>
    node.get(protocol).readyPeers().includes(peer.get(devp2pHost).nodeId)
  await until(() => accepted(a, b) && accepted(b, a), 'both sides accepted the Status')
}

export function enodeOf(node: ParleyNode): string {
  const enode = node.get(devp2pHost).enode
  if (enode === undefined) throw new Error('node is not listening')
  return enode
}

export const hexOf = (text: string) => `0x${Buffer.from(text, 'utf8').toString('hex')}`

export interface RpcPair {
  alice: ParleyNode
  bob: ParleyNode
  aliceUrl: string
  bobUrl: string
}

/** Starts Whisper nodes `alice` and `bob` with the JSON-RPC API; `connected` dials bob from alice. */
export async function startRpcPair(options: { connected?: boolean } = {}): Promise<RpcPair> {
  const alice = rpcNode('alice')
  const bob = rpcNode('bob')
  await alice.start()
  await bob.start()
  if (options.connected === true) await connect(alice, bob)
  return { alice, bob, aliceUrl: urlOf(alice), bobUrl: urlOf(bob) }
}
