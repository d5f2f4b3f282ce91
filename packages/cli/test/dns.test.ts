import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { generatePrivateKey, loadCrypto } from '@parley/crypto'
import { DnsTreeClient } from '@parley/discovery-dns'
import { addressEntries, enrToText, signEnr } from '@parley/enr'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { main } from '../src/main.ts'
import { runCli } from './run.ts'

const { secp256k1: secp } = await loadCrypto()
const KEY = `${'11'.repeat(31)}01`
const enrs = [1, 2, 3].map((i) =>
  enrToText(
    signEnr(
      { seq: 1, entries: addressEntries({ ip: `10.0.0.${i}`, tcp: 30303 }) },
      generatePrivateKey(),
      secp,
    ),
  ),
)
const LINK = 'enrtree://AM5FCQLWIZX2QFPNJAP7VUERCCRNGRHWZG3YYHIUV7BVDQ5FDPRT2@nodes.example.org'

let dir: string
let treeFile: string
let built: { url: string; root: string; records: Record<string, string> }

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'parley-cli-dns-'))
  const listFile = join(dir, 'nodes.txt')
  await writeFile(listFile, `# two records and a link\n${enrs[1]}\n\n${enrs[2]}\n${LINK}\n`)
  const { code, stdout, stderr } = await runCli([
    'dns',
    'build',
    '--key',
    KEY,
    '--domain',
    'test.example',
    '--seq',
    '3',
    '--enr',
    enrs[0] as string,
    '--file',
    listFile,
  ])
  expect(stderr).toBe('')
  expect(code).toBe(0)
  built = JSON.parse(stdout)
  treeFile = join(dir, 'tree.json')
  await writeFile(treeFile, stdout)
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('parley dns build', () => {
  it('prints the signed tree: url, root and every record by DNS name', () => {
    expect(built.url).toMatch(/^enrtree:\/\/[A-Z2-7]{53}@test\.example$/)
    expect(built.root).toMatch(/^enrtree-root:v1 e=[A-Z2-7]{26} l=[A-Z2-7]{26} seq=3 sig=/)
    expect(built.records['test.example']).toBe(built.root)
    const texts = Object.values(built.records)
    for (const enr of enrs) expect(texts).toContain(enr)
    expect(texts).toContain(LINK)
    // root, ENR branch, three records, the link (a single leaf is its own subtree top)
    expect(Object.keys(built.records)).toHaveLength(6)
  })

  it('is deterministic for the same input', async () => {
    const again = await runCli([
      'dns',
      'build',
      '--key',
      KEY,
      '--domain',
      'test.example',
      '--seq',
      '3',
      '--enr',
      enrs.join(','),
      '--link',
      LINK,
    ])
    expect(JSON.parse(again.stdout).records).toEqual(built.records)
  })

  const usage: Array<[string[], RegExp]> = [
    [['--domain', 'd.example', '--seq', '1'], /--key is required/],
    [['--key', KEY, '--seq', '1'], /--domain is required/],
    [['--key', KEY, '--domain', 'd.example'], /--seq is required/],
    [['--key', KEY, '--domain', 'd.example', '--seq', 'x'], /--seq/],
    [['--key', 'abcd', '--domain', 'd.example', '--seq', '1'], /--key must be 64 hex digits/],
    [['--key', '00'.repeat(32), '--domain', 'd.example', '--seq', '1'], /not a valid secp256k1 private key/],
    [
      ['--key', KEY, '--domain', 'd.example', '--seq', '1', '--enr', 'enode://abc@1.2.3.4:30303'],
      /enode URLs cannot go in a tree.*enr: text/,
    ],
    [
      ['--key', KEY, '--domain', 'd.example', '--seq', '1', '--enr', 'enr:-garbage'],
      /--enr #1: not a valid signed ENR/,
    ],
    [
      ['--key', KEY, '--domain', 'd.example', '--seq', '1', '--link', 'https://x'],
      /--link #1: want an enrtree:\/\/ URL/,
    ],
    [
      ['--key', KEY, '--domain', 'd.example', '--seq', '1', '--file', '/nonexistent/list'],
      /--file \/nonexistent\/list/,
    ],
    [['--key', KEY, '--domain', 'bad domain', '--seq', '1'], /bad domain/],
  ]
  for (const [argv, reason] of usage) {
    it(`refuses ${argv.join(' ').slice(0, 60)} with exit 2`, async () => {
      const { code, stdout, stderr } = await runCli(['dns', 'build', ...argv])
      expect(code).toBe(2)
      expect(stdout).toBe('')
      expect(stderr).toMatch(/^parley: [^\n]+\n$/)
      expect(stderr).toMatch(reason)
    })
  }
})

describe('parley dns to-txt', () => {
  it('prints zone lines for every record', async () => {
    const { code, stdout } = await runCli(['dns', 'to-txt', '--tree', treeFile, '--ttl', '300'])
    expect(code).toBe(0)
    const { zone } = JSON.parse(stdout) as { zone: string }
    const lines = zone.trimEnd().split('\n')
    expect(lines).toHaveLength(6)
    expect(lines[0]).toBe(`test.example. 300 IN TXT "${built.root}"`)
    for (const [name, txt] of Object.entries(built.records)) {
      // ENR text longer than 255 bytes is split into several quoted strings.
      const line = lines.find((candidate) => candidate.startsWith(`${name}. `))
      expect(line?.replace(/" "/g, '')).toBe(`${name}. 300 IN TXT "${txt}"`)
    }
  })

  it('refuses a tampered tree file with exit 2', async () => {
    const tampered = structuredClone(built)
    const name = Object.keys(tampered.records).find((key) =>
      tampered.records[key]?.startsWith('enr:'),
    ) as string
    tampered.records[name] = enrs[0] === tampered.records[name] ? (enrs[1] as string) : (enrs[0] as string)
    const file = join(dir, 'tampered.json')
    await writeFile(file, JSON.stringify(tampered))
    const result = await runCli(['dns', 'to-txt', '--tree', file])
    expect(result).toMatchObject({ code: 2, stdout: '' })
    expect(result.stderr).toMatch(/does not match its hash/)

    const forged = { ...built, root: built.root.replace('seq=3', 'seq=4') }
    forged.records = { ...built.records, 'test.example': forged.root }
    await writeFile(file, JSON.stringify(forged))
    expect((await runCli(['dns', 'to-txt', '--tree', file])).stderr).toMatch(/root signature/)

    await writeFile(file, '{"url": 1}')
    expect(await runCli(['dns', 'to-txt', '--tree', file])).toMatchObject({ code: 2 })
    expect(await runCli(['dns', 'to-txt'])).toMatchObject({ code: 2, stderr: 'parley: --tree is required\n' })
  })
})

describe('parley dns serve', () => {
  it('serves the tree to a real DNS client until its signal ends it', async () => {
    const controller = new AbortController()
    let stdout = ''
    let stderr = ''
    let exit: Promise<number> | undefined
    const listening = new Promise<string>((resolve) => {
      const running = main(['dns', 'serve', '--tree', treeFile, '--port', '0'], {
        stdout: {
          write: (text: string) => {
            stdout += text
            if (stdout.endsWith('\n')) resolve(stdout)
          },
        },
        stderr: { write: (text: string) => (stderr += text) },
        env: {},
        signal: controller.signal,
      })
      exit = running
    })
    const line = JSON.parse(await listening) as { listening: string; url: string }
    expect(line.url).toBe(built.url)
    expect(line.listening).toMatch(/^127\.0\.0\.1:\d+$/)

    const client = new DnsTreeClient({ secp, servers: [line.listening] })
    const tree = await client.syncTree(built.url)
    expect(tree.root.seq).toBe(3)
    expect(tree.enrs.map((enr) => enrToText(enr)).sort()).toEqual([...enrs].sort())
    expect(tree.links).toEqual([LINK])

    controller.abort()
    expect(await exit).toBe(0)
    expect(stderr).toBe('')
  })

  it('lists the dns commands in --help', async () => {
    const { stdout } = await runCli(['--help'])
    for (const name of ['dns build', 'dns to-txt', 'dns serve']) expect(stdout).toContain(`  ${name} `)
    expect(await runCli(['dns'])).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/needs a subcommand: build, to-txt, serve/),
    })
  })
})
