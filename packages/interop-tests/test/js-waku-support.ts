/**
 * Shared by the js-waku interop tests: modules loaded from js-waku's own dependency tree, a TCP
 * transport for a js-waku node, polling, per-test cleanup and byte helpers.
 */
import { realpathSync } from 'node:fs'
import { resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { afterEach } from 'vitest'

// biome-ignore lint/suspicious/noExplicitAny: modules loaded by path carry no types
export type AnyModule = any

/**
 * The `node_modules` directory pnpm gave a package: where that package resolves its own
 * dependencies (the package's real path is `<that dir>/<name>`).
 */
function modulesOf(packageDir: string, name: string): string {
  return resolve(realpathSync(packageDir), name.startsWith('@') ? '../..' : '..')
}
const ourModules = fileURLToPath(new URL('../node_modules/', import.meta.url))
/** Where `@waku/sdk` 0.0.27 resolves its dependencies (libp2p 1.9, @waku/core 0.0.31, …). */
export const sdkModules = modulesOf(`${ourModules}@waku/sdk`, '@waku/sdk')
const libp2pModules = modulesOf(`${sdkModules}/libp2p`, 'libp2p')
const transportModules = modulesOf(
  fileURLToPath(new URL('../../transport-libp2p/node_modules/@libp2p/tcp', import.meta.url)),
  '@libp2p/tcp',
)

/** Imports `name` as the package owning `modules` resolves it. */
export function theirs(modules: string, name: string, entry = 'dist/src/index.js'): Promise<AnyModule> {
  return import(pathToFileURL(`${modules}/${name}/${entry}`).href)
}

/**
 * A TCP transport for a js-waku node. The sdk's default libp2p has WebSockets only and lets
 * `libp2p.transports` replace them. The one `@libp2p/tcp` installed is 10.1.19, transport-libp2p's
 * (the libp2p 2.x line); js-waku's libp2p 1.9.4 takes it, since 1.9 already asks transports for
 * `dialFilter`/`listenFilter` and hands the upgrader to each dial and listener.
 */
export async function theirTcp(): Promise<unknown> {
  const { tcp } = await theirs(transportModules, '@libp2p/tcp')
  return tcp()
}

/**
 * `text` as js-waku's libp2p `Multiaddr`, for `libp2p.dial`: a light node's own `dial` also opens a
 * stream for one of its store/filter/lightpush codecs and fails against a peer serving none.
 */
export async function theirMultiaddr(text: string): Promise<unknown> {
  const { multiaddr } = await theirs(libp2pModules, '@multiformats/multiaddr')
  return multiaddr(text)
}

/** Polls `condition` every 25 ms; rejects after `ms` (generous: a loaded machine slows every round trip). */
export async function waitFor(
  condition: () => boolean | Promise<boolean>,
  what: string,
  ms = 15_000,
): Promise<void> {
  const deadline = Date.now() + ms
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
}

interface TheirPeerStore {
  has(peer: never): Promise<boolean>
  get(peer: never): Promise<{ protocols: string[] }>
}

/** Whether js-waku's peer store lists `codec` for `peer`, as identify records it. */
export async function theyHaveIdentified(
  libp2p: { peerStore: TheirPeerStore },
  peer: unknown,
  codec: string,
): Promise<boolean> {
  const { peerStore } = libp2p
  return (
    (await peerStore.has(peer as never)) && (await peerStore.get(peer as never)).protocols.includes(codec)
  )
}

const cleanups: Array<() => Promise<unknown>> = []

/** Stops `stoppable` after the current test (registers an `afterEach` in the importing file). */
export function stopAfterTest<T extends { stop(): Promise<unknown> }>(stoppable: T): T {
  cleanups.push(() => stoppable.stop())
  return stoppable
}
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()))
})

export const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text)
export const text = (bytes: Uint8Array | undefined): string => new TextDecoder().decode(bytes)
export const toHex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex')
