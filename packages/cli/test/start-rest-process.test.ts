import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { scrape } from './run.ts'

const PARLEY = fileURLToPath(new URL('./fixtures/parley.ts', import.meta.url))
const REST_LINE = /^rest: (http:\/\/127\.0\.0\.1:\d+)\/?$/m
const LIBP2P_LINE = /^libp2p: (\/ip4\/127\.0\.0\.1\/tcp\/\d+\/p2p\/16Uiu2HA\w+)$/m

describe('parley start --protocol waku2 --relay --rest, as a process', () => {
  it("answers nwaku's /debug/v1/info with its libp2p addresses, then stops on SIGINT", async () => {
    const argv = ['--protocol', 'waku2', '--relay', '--rest', '--rest-port', '0', '--tcp-port', '0']
    const child = spawn(process.execPath, [PARLEY, 'start', ...argv, '--listen-address', '127.0.0.1'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    // Only a hung child is killed: starting one on a busy machine takes seconds.
    const timer = setTimeout(() => child.kill('SIGKILL'), 40_000)
    let stdout = ''
    let stderr = ''
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString()
    })
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
    try {
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (chunk: Buffer) => {
          stdout += chunk.toString()
          const match = REST_LINE.exec(stdout)
          if (match?.[1] !== undefined) resolve(match[1])
        })
        void exited.then((code) => reject(new Error(`parley exited ${code}: ${stderr}`)))
      })
      const { status, body } = await scrape(`${url}/debug/v1/info`)
      expect(status).toBe(200)
      const info = JSON.parse(body) as { listenAddresses: string[] }
      expect(info.listenAddresses).toContain(LIBP2P_LINE.exec(stdout)?.[1])
      child.kill('SIGINT')
      expect(await exited).toBe(0)
    } finally {
      clearTimeout(timer)
      child.kill('SIGKILL')
    }
  }, 45_000)
})
