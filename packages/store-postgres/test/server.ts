/**
 * A PostgreSQL server for the tests: `PARLEY_TEST_POSTGRES_URL` when set (CI sets it: .ci/run
 * installs PostgreSQL from Debian packages and starts one on loopback), else a throwaway cluster
 * this helper creates with `initdb` in a temporary directory and starts on a free loopback port.
 * There is no skip: in CI a missing URL fails, and elsewhere missing PostgreSQL binaries fail with
 * what to install.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process'
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { delimiter, join } from 'node:path'

export interface TestServer {
  url: string
  stop(): Promise<void>
}

function binaries(): string | undefined {
  const fromPath = (process.env.PATH ?? '').split(delimiter)
  const debian = existsSync('/usr/lib/postgresql')
    ? readdirSync('/usr/lib/postgresql')
        .sort((a, b) => Number(b) - Number(a))
        .map((version) => join('/usr/lib/postgresql', version, 'bin'))
    : []
  return [...fromPath, ...debian].find(
    (dir) => dir !== '' && existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'postgres')),
  )
}

/** PostgreSQL refuses to run as root; as root, run it as the `postgres` system user. */
function runAs(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((entry) => entry.startsWith('postgres:'))
  if (line === undefined)
    throw new Error('running as root, and there is no postgres user to run PostgreSQL as')
  const [, , uid, gid] = line.split(':')
  return { uid: Number(uid), gid: Number(gid) }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.on('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0))
    })
  })
}

function waitUntilReady(child: ChildProcess, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let log = ''
    const timer = setTimeout(() => reject(new Error(`PostgreSQL did not start:\n${log}`)), timeoutMs)
    child.stderr?.on('data', (chunk: Buffer) => {
      log += chunk.toString()
      if (log.includes('ready to accept connections')) {
        clearTimeout(timer)
        resolve()
      }
    })
    child.on('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`PostgreSQL exited with ${code}:\n${log}`))
    })
  })
}

/** Starts a throwaway cluster (durability off: fsync=off — for tests, not benchmarks). */
export async function startCluster(options: { durable?: boolean } = {}): Promise<TestServer> {
  const bin = binaries()
  if (bin === undefined) {
    throw new Error(
      'PostgreSQL tests need a server: set PARLEY_TEST_POSTGRES_URL, or install PostgreSQL (apt-get install postgresql) so this helper can start one',
    )
  }
  const user = runAs()
  const dir = mkdtempSync(join(tmpdir(), 'parley-pg-'))
  if (user !== undefined) chownSync(dir, user.uid, user.gid)
  const data = join(dir, 'data')
  const init = spawnSync(
    join(bin, 'initdb'),
    ['-D', data, '-U', 'parley', '--auth=trust', '-E', 'UTF8', '--no-sync'],
    {
      ...user,
      encoding: 'utf8',
    },
  )
  if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr}`)
  const port = await freePort()
  const settings = [
    '-c',
    'listen_addresses=127.0.0.1',
    '-c',
    `unix_socket_directories=${dir}`,
    '-p',
    String(port),
  ]
  if (options.durable !== true) settings.push('-c', 'fsync=off', '-c', 'full_page_writes=off')
  const child = spawn(join(bin, 'postgres'), ['-D', data, ...settings], {
    ...user,
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  const killOnExit = () => child.kill('SIGKILL')
  process.on('exit', killOnExit)
  await waitUntilReady(child, 30_000)
  return {
    url: `postgres://parley@127.0.0.1:${port}/postgres`,
    stop: async () => {
      process.off('exit', killOnExit)
      const exited = new Promise((resolve) => child.once('exit', resolve))
      child.kill('SIGINT') // fast shutdown
      await exited
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

/** The server tests use: CI's, or a throwaway one. */
export async function testServer(): Promise<TestServer> {
  const url = process.env.PARLEY_TEST_POSTGRES_URL
  if (url !== undefined && url !== '') return { url, stop: async () => {} }
  if (process.env.CI === 'true') {
    throw new Error(
      'PARLEY_TEST_POSTGRES_URL is not set: in CI, .ci/run starts PostgreSQL and must export it',
    )
  }
  return startCluster()
}
