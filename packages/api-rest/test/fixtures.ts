/** Real Parley nodes on loopback with the REST API on a free port, and a small HTTP client. */
import { createNode, type ParleyNode } from '@parley/core'
import { libp2pHost } from '@parley/interfaces'
import { wakuFilter, wakuFilterClient } from '@parley/protocol-waku2-filter'
import { wakuLightpush, wakuLightpushClient } from '@parley/protocol-waku2-lightpush'
import { wakuRelay } from '@parley/protocol-waku2-relay'
import { wakuStore } from '@parley/protocol-waku2-store'
import { memoryStore } from '@parley/store-memory'
import { libp2p } from '@parley/transport-libp2p'
import { type RestApiInit, type RestApiServer, restApi } from '../src/index.ts'

const LISTEN = ['/ip4/127.0.0.1/tcp/0']
const relay = () => wakuRelay({ gossipsub: { heartbeatInterval: 100 } })

export interface RestNode {
  node: ParleyNode
  rest: RestApiServer
  /** the first libp2p address, ending in /p2p/<id> */
  address: string
  call(method: string, path: string, body?: unknown): Promise<HttpAnswer>
}

export interface HttpAnswer {
  status: number
  headers: Headers
  text: string
  /** the parsed body when it is JSON */
  json: unknown
}

const started: ParleyNode[] = []

export async function stopAll(): Promise<void> {
  await Promise.all(started.splice(0).map((node) => node.stop()))
}

async function start(
  name: string,
  options: Parameters<typeof createNode>[0],
  init: RestApiInit,
): Promise<RestNode> {
  const node = createNode({ ...options, name, services: { rest: restApi({ port: 0, ...init }) } })
  started.push(node)
  await node.start()
  const rest = node.service<RestApiServer>('rest')
  const url = rest.url()
  if (url === undefined) throw new Error('REST API not listening')
  const address = node.get(libp2pHost).multiaddrs()[0]
  if (address === undefined) throw new Error('libp2p not listening')
  return { node, rest, address, call: (method, path, body) => call(url, method, path, body) }
}

/** Relay, store (memory archive), filter and lightpush services. */
export function serviceNode(init: RestApiInit = {}): Promise<RestNode> {
  return start(
    'service',
    {
      transports: [libp2p({ listen: LISTEN })],
      protocols: [relay(), wakuStore(), wakuFilter(), wakuLightpush()],
      store: memoryStore(),
    },
    init,
  )
}

/** A relay node only: what the service relays to. */
export function relayNode(init: RestApiInit = {}): Promise<RestNode> {
  return start('peer', { transports: [libp2p({ listen: LISTEN })], protocols: [relay()] }, init)
}

/** Light clients only: store queries, filter and lightpush through the service. */
export function lightNode(service: string, init: RestApiInit = {}): Promise<RestNode> {
  return start(
    'light',
    {
      transports: [libp2p({ listen: LISTEN })],
      protocols: [wakuStore({ serve: false }), wakuFilterClient(), wakuLightpushClient()],
    },
    { storePeer: service, filterPeer: service, lightpushPeer: service, ...init },
  )
}

export async function call(base: string, method: string, path: string, body?: unknown): Promise<HttpAnswer> {
  const response = await fetch(`${base}${path}`, {
    method,
    ...(body === undefined
      ? {}
      : {
          headers: { 'content-type': 'application/json' },
          body: typeof body === 'string' ? body : JSON.stringify(body),
        }),
  })
  const text = await response.text()
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    json = undefined
  }
  return { status: response.status, headers: response.headers, text, json }
}

export const enc = encodeURIComponent
export const b64 = (text: string) => Buffer.from(text).toString('base64')
export const unb64 = (text: unknown) => Buffer.from(String(text), 'base64').toString()
