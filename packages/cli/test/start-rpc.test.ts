import { describe, expect, it } from 'vitest'
import { whileStarted } from './run.ts'
import { rpc } from './v1-peer.ts'

const LINE = (label: string) => new RegExp(`^${label}: (\\S+)$`, 'm')
const LOCAL = ['--listen-address=127.0.0.1', '--devp2p-port=0', '--log-level=silent']

/** One JSON-RPC call without parameters over HTTP, optionally as a browser at `origin`. */
const post = (url: string, method: string, origin?: string) => rpc(url, method, [], origin)

/** One JSON-RPC call over WebSocket. */
function callWs(url: string, method: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url)
    socket.onopen = () => socket.send(JSON.stringify({ jsonrpc: '2.0', id: 7, method, params: [] }))
    socket.onmessage = (event) => {
      socket.close()
      resolve((JSON.parse(String(event.data)) as { result?: unknown }).result)
    }
    socket.onerror = () => reject(new Error(`WebSocket ${url} failed`))
  })
}

describe('parley start --rpc', () => {
  it('serves waku_*, shh_* and admin_* over HTTP and WebSocket at the printed URLs, with CORS', async () => {
    const argv = [
      '--protocol=whisper,waku1',
      ...LOCAL,
      '--rpc',
      '--rpc-port=0',
      '--ws-rpc-port=0',
      '--rpc-cors=https://app.example',
    ]
    const result = await whileStarted(
      argv,
      (stdout) => LINE('ws').test(stdout),
      async (stdout) => {
        const http = LINE('rpc').exec(stdout)?.[1] ?? ''
        const ws = LINE('ws').exec(stdout)?.[1] ?? ''
        const enode = LINE('enode').exec(stdout)?.[1]
        expect(http).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/)
        expect(ws).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/$/)
        expect((await post(http, 'waku_info')).body.result).toMatchObject({ minPow: 0.002 })
        expect((await post(http, 'shh_version')).body.result).toBe('6.0')
        expect((await post(http, 'admin_nodeInfo')).body.result).toMatchObject({ enode })
        const browser = await post(http, 'waku_version', 'https://app.example')
        expect(browser.headers['access-control-allow-origin']).toBe('https://app.example')
        const stranger = await post(http, 'waku_version', 'https://evil.example')
        expect(stranger.headers['access-control-allow-origin']).toBeUndefined()
        expect(await callWs(ws, 'waku_version')).toBe('1')
      },
    )
    expect(result.code).toBe(0)
  })

  it('serves only the configured protocol: waku1 alone has no shh_*', async () => {
    await whileStarted(
      ['--protocol=waku1', ...LOCAL, '--rpc', '--rpc-port=0', '--min-pow=0.01'],
      (stdout) => LINE('rpc').test(stdout),
      async (stdout) => {
        const http = LINE('rpc').exec(stdout)?.[1] ?? ''
        expect(stdout).not.toMatch(LINE('ws'))
        expect((await post(http, 'waku_info')).body.result).toMatchObject({ minPow: 0.01 })
        expect((await post(http, 'shh_version')).body.error).toMatchObject({ code: -32601 })
      },
    )
  })

  it('puts --min-pow and --light-node on the wire: a peer reports them in admin_peers', async () => {
    await whileStarted(
      ['--protocol=waku1', ...LOCAL, '--rpc', '--rpc-port=0'],
      (stdout) => LINE('rpc').test(stdout),
      async (first) => {
        const http = LINE('rpc').exec(first)?.[1] ?? ''
        const enode = LINE('enode').exec(first)?.[1] ?? ''
        await whileStarted(
          ['--protocol=waku1', ...LOCAL, '--light-node', '--min-pow=0.01', `--staticnode=${enode}`],
          (stdout) => LINE('enode').test(stdout),
          async () => {
            let peers: Array<{ protocols: Record<string, unknown> }> = []
            const deadline = Date.now() + 10_000
            while (Date.now() < deadline) {
              peers = (await post(http, 'admin_peers')).body.result as typeof peers
              if (typeof peers[0]?.protocols.waku === 'object') break
              await new Promise((resolve) => setTimeout(resolve, 20))
            }
            expect(peers).toHaveLength(1)
            expect(peers[0]?.protocols.waku).toMatchObject({ lightNode: true, pow: 0.01 })
          },
        )
      },
    )
  })
})
