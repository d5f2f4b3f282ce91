import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { bytesToHex } from '@parley/crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { resolveNodeKey } from '../src/node/nodekey.ts'
import { whileStarted } from './run.ts'

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'parley-cli-nodekey-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('resolveNodeKey', () => {
  it('generates a key into <data-dir>/nodekey (mode 0600, directory created) and reads it back', async () => {
    const dataDir = join(dir, 'fresh', 'nested')
    const first = await resolveNodeKey({ 'data-dir': dataDir })
    const path = join(dataDir, 'nodekey')
    expect(first).toMatchObject({ source: 'generated', path })
    expect(await readFile(path, 'utf8')).toBe(bytesToHex(first.privateKey))
    expect((await stat(path)).mode & 0o777).toBe(0o600)
    const second = await resolveNodeKey({ 'data-dir': dataDir })
    expect(second).toMatchObject({ source: 'file', path })
    expect(bytesToHex(second.privateKey)).toBe(bytesToHex(first.privateKey))
  })

  it('prefers nodekey to the file, and without either makes a key kept nowhere', async () => {
    const nodekey = '0x'.concat('11'.repeat(32))
    const fromConfig = await resolveNodeKey({ nodekey, 'data-dir': join(dir, 'unused') })
    expect(fromConfig.source).toBe('config')
    expect(bytesToHex(fromConfig.privateKey)).toBe('11'.repeat(32))
    await expect(stat(join(dir, 'unused'))).rejects.toThrow(/ENOENT/)
    const ephemeral = await resolveNodeKey({})
    expect(ephemeral.source).toBe('ephemeral')
    expect(ephemeral.privateKey).toHaveLength(32)
  })

  it('reads a key file with a trailing newline, and refuses one that is not a key', async () => {
    const good = join(dir, 'good')
    await rm(good, { recursive: true, force: true })
    await resolveNodeKey({ 'data-dir': good })
    await writeFile(join(good, 'nodekey'), `${'22'.repeat(32)}\n`)
    expect(bytesToHex((await resolveNodeKey({ 'data-dir': good })).privateKey)).toBe('22'.repeat(32))
    await writeFile(join(good, 'nodekey'), 'not a key')
    await expect(resolveNodeKey({ 'data-dir': good })).rejects.toMatchObject({
      code: 'ERR_INVALID_CONFIG',
      message: `${join(good, 'nodekey')}: expected a node key of 64 hex digits`,
    })
  })
})

describe('parley start --data-dir', () => {
  it('keeps the node id across runs', async () => {
    const dataDir = join(dir, 'start')
    const run = () =>
      whileStarted(
        [`--data-dir=${dataDir}`, '--log-level=silent'],
        (stdout) => stdout.includes('started'),
        async () => {},
      )
    const first = await run()
    const second = await run()
    const id = /node id ([0-9a-f]{128})/.exec(first.stdout)?.[1]
    expect(first.stdout).toContain(`node id ${id} (new key saved to ${join(dataDir, 'nodekey')})`)
    expect(second.stdout).toContain(`node id ${id} (key from ${join(dataDir, 'nodekey')})`)
  })
})
