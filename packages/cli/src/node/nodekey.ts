/**
 * Where the node key comes from: `nodekey`, else `<data-dir>/nodekey` (generated and saved on the
 * first run, as geth keeps `<datadir>/geth/nodekey`), else a fresh key for this run only.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { bytesToHex, generatePrivateKey, hexToBytes } from '@parley/crypto'
import { type AbortOptions, InvalidConfigError } from '@parley/interfaces'
import { PRIVATE_KEY_HEX } from '../config/checks.ts'

export const NODEKEY_FILE = 'nodekey'

export type NodeKeySource =
  /** the `nodekey` option */
  | 'config'
  /** read from `<data-dir>/nodekey` */
  | 'file'
  /** generated now and saved to `<data-dir>/nodekey` */
  | 'generated'
  /** generated now and kept nowhere */
  | 'ephemeral'

export interface NodeKey {
  privateKey: Uint8Array
  source: NodeKeySource
  /** the key file, for `file` and `generated` */
  path?: string
}

export async function resolveNodeKey(
  config: { nodekey?: string | undefined; 'data-dir'?: string | undefined },
  options: AbortOptions = {},
): Promise<NodeKey> {
  if (config.nodekey !== undefined) return { privateKey: hexToBytes(config.nodekey), source: 'config' }
  const dataDir = config['data-dir']
  if (dataDir === undefined) return { privateKey: generatePrivateKey(), source: 'ephemeral' }

  const path = join(dataDir, NODEKEY_FILE)
  const existing = await readKeyFile(path, options)
  if (existing !== undefined) return { privateKey: existing, source: 'file', path }

  const privateKey = generatePrivateKey()
  try {
    await mkdir(dataDir, { recursive: true, mode: 0o700 })
    // `wx`: never overwrite a key another process wrote meanwhile; geth writes the bare hex too.
    await writeFile(path, bytesToHex(privateKey), { mode: 0o600, flag: 'wx', signal: options.signal })
  } catch (error) {
    if (options.signal?.aborted === true) throw error
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      const written = await readKeyFile(path, options)
      if (written !== undefined) return { privateKey: written, source: 'file', path }
    }
    throw new InvalidConfigError(`data-dir: cannot save ${path}: ${(error as Error).message}`, {
      cause: error,
    })
  }
  return { privateKey, source: 'generated', path }
}

/** The key in `path`, or `undefined` when there is no such file. */
async function readKeyFile(path: string, options: AbortOptions): Promise<Uint8Array | undefined> {
  let text: string
  try {
    text = await readFile(path, { encoding: 'utf8', signal: options.signal })
  } catch (error) {
    if (options.signal?.aborted === true) throw error
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw new InvalidConfigError(`data-dir: cannot read ${path}: ${(error as Error).message}`, {
      cause: error,
    })
  }
  const hex = text.trim()
  if (!PRIVATE_KEY_HEX.test(hex)) {
    throw new InvalidConfigError(`${path}: expected a node key of 64 hex digits`)
  }
  return hexToBytes(hex)
}
