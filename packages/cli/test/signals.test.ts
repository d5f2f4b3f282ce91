import { spawn } from 'node:child_process'
import { connect } from 'node:net'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const PARLEY = fileURLToPath(new URL('./fixtures/parley.ts', import.meta.url))
const ENODE_LINE = /^enode: enode:\/\/[0-9a-f]{128}@127\.0\.0\.1:(\d+)$/m

interface Exited {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
  /** the devp2p port it listened on */
  port: number
}

/** Runs `parley start` in a child process and sends it `signal` once it prints its enode. */
function startThenSignal(argv: string[], signal: NodeJS.Signals): Promise<Exited> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [PARLEY, 'start', ...argv], { stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    let port = 0
    // Only a hung child is killed: starting one on a busy machine takes seconds.
    const timer = setTimeout(() => child.kill('SIGKILL'), 40_000)
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString()
      const match = ENODE_LINE.exec(stdout)
      if (port === 0 && match !== null) {
        port = Number(match[1])
        child.kill(signal)
      }
    })
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString()
    })
    child.on('error', reject)
    child.on('exit', (code, exitSignal) => {
      clearTimeout(timer)
      resolve({ code, signal: exitSignal, stdout, stderr, port })
    })
  })
}

function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port })
    socket.once('connect', () => {
      socket.destroy()
      resolve(false)
    })
    socket.once('error', () => resolve(true))
  })
}

describe('parley start as a process', () => {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`stops cleanly on ${signal}: every plugin stopped, exit code 0`, async () => {
      const result = await startThenSignal(
        ['--protocol=whisper,waku1', '--listen-address=127.0.0.1', '--devp2p-port=0', '--log-level=info'],
        signal,
      )
      // The child imports workspace packages from their dist/: `pnpm build` if this fails to start.
      expect(result.port, result.stderr).toBeGreaterThan(0)
      expect({ code: result.code, signal: result.signal }).toEqual({ code: 0, signal: null })
      expect(result.stdout.trimEnd().split('\n').at(-1)).toBe('node "parley" stopped')
      expect(result.stderr).toMatch(/ INFO parley:node node parley stopped in /)
      expect(result.stderr).not.toMatch(/ (WARN|ERROR) /)
      expect(await refused(result.port)).toBe(true)
    }, 45_000)
  }
})
