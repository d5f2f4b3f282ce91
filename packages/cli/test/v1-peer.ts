/** Test helpers that talk to a node started by the CLI: a Waku v1 sender and a JSON-RPC call. */
import { request } from 'node:http'
import { createNode } from '@parley/core'
import { topicFromName, topicToHex } from '@parley/envelope'
import { devp2pHost, waku1Protocol } from '@parley/interfaces'
import { waku1 } from '@parley/protocol-waku1'
import { devp2p } from '@parley/transport-devp2p'

export const STATUS_TOPIC = topicToHex(topicFromName('status'))

/** Posts `payload` on `status` through a Waku v1 node connected to `enode`; resolves with its hash. */
export async function postVia(enode: string, payload: Uint8Array = Uint8Array.of(7)): Promise<string> {
  const sender = createNode({
    name: 'test-sender',
    transports: [devp2p({ host: '127.0.0.1', port: 0 })],
    protocols: [waku1()],
    logger: { level: 'silent' },
  })
  await sender.start()
  try {
    const peer = await sender.get(devp2pHost).dial(enode)
    const waku = sender.get(waku1Protocol)
    while (!waku.readyPeers().includes(peer.id)) await new Promise((resolve) => setTimeout(resolve, 5))
    return await waku.post({ topic: STATUS_TOPIC, payload, ttl: 60 })
  } finally {
    await sender.stop()
  }
}

export interface RpcReply {
  headers: Record<string, string | string[] | undefined>
  body: { result?: unknown; error?: { code: number; message: string } }
}

/** One JSON-RPC call over HTTP, optionally as a browser at `origin`. */
export function rpc(url: string, method: string, params: unknown[] = [], origin?: string): Promise<RpcReply> {
  const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method, params })
  return new Promise((resolve, reject) => {
    const call = request(
      url,
      {
        method: 'POST',
        agent: false,
        headers: { 'content-type': 'application/json', ...(origin === undefined ? {} : { origin }) },
      },
      (response) => {
        let text = ''
        response.setEncoding('utf8')
        response.on('data', (chunk: string) => {
          text += chunk
        })
        response.on('end', () => resolve({ headers: response.headers, body: JSON.parse(text) }))
      },
    )
    call.on('error', reject)
    call.end(body)
  })
}
