import { bytesToHex, generatePrivateKey, loadCrypto } from '@parley/crypto'
import { buildTree, serveTree } from '@parley/discovery-dns'
import { addressEntries, decodeEnr, enrToText, signEnr } from '@parley/enr'
import { caseById, loadVectors, str } from '@parley/test-support'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { runCli } from './run.ts'

const { secp256k1: secp } = await loadCrypto()
const vectors = loadVectors('enr-eip778.json')

async function json(argv: string[]): Promise<Record<string, unknown>> {
  const { code, stdout, stderr } = await runCli(argv)
  expect({ code, stderr }).toEqual({ code: 0, stderr: '' })
  return JSON.parse(stdout) as Record<string, unknown>
}

describe('parley enr decode', () => {
  it('prints every field of the EIP-778 example record', async () => {
    const vector = caseById(vectors, 'eip778-example-record')
    const text = str(vector.input, 'enr_text')
    const fields = await json(['enr', 'decode', text])
    expect(fields).toMatchObject({
      enr: text,
      seq: '1',
      id: 'v4',
      nodeId: str(vector.expected, 'node_id'),
      publicKey: '03ca634cae0d49acb401d8a4c6b6fe8c55b70d115bf400769cc1400f3258cd3138',
      ip: '127.0.0.1',
      tcp: null,
      udp: 30303,
      enode: null,
      signature: str(vector.expected, 'signature'),
      entries: { id: '7634', ip: '7f000001', udp: '765f' },
      size: 134,
    })
    expect(fields.peerId).toMatch(/^16Uiu2HA/)
  })

  it('decodes the Waku fields of a record that has them', async () => {
    const record = signEnr(
      {
        seq: 7,
        entries: [
          ...addressEntries({ ip: '10.1.2.3', tcp: 60000, udp: 9000 }),
          ['waku2', Uint8Array.of(0b1011)],
        ],
      },
      generatePrivateKey(),
      secp,
    )
    const fields = await json(['enr', 'decode', enrToText(record)])
    expect(fields).toMatchObject({ seq: '7', ip: '10.1.2.3', tcp: 60000, udp: 9000 })
    expect(fields.waku2).toEqual(['relay', 'store', 'lightpush'])
    expect(fields.enode).toMatch(/^enode:\/\/[0-9a-f]{128}@10\.1\.2\.3:60000\?discport=9000$/)
  })

  for (const id of ['geth-urlv4-invalid-empty', 'geth-urlv4-invalid-bad-base64']) {
    it(`refuses ${id} with exit 2 and the reason`, async () => {
      const text = str(caseById(vectors, id).input, 'enr_text')
      const { code, stdout, stderr } = await runCli(['enr', 'decode', text])
      expect({ code, stdout }).toEqual({ code: 2, stdout: '' })
      expect(stderr).toMatch(/not a valid node record: \S/)
    })
  }

  it('refuses a record whose signature does not match', async () => {
    const text = str(caseById(vectors, 'eip778-example-record').input, 'enr_text')
    // Flip one signature character: still base64url, no longer the signer's.
    const tampered = `${text.slice(0, 10)}${text[10] === 'A' ? 'B' : 'A'}${text.slice(11)}`
    const { code, stderr } = await runCli(['enr', 'decode', tampered])
    expect(code).toBe(2)
    expect(stderr).toMatch(/not a valid node record/)
  })

  it('never crashes on arbitrary text: it decodes or exits 2', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 40 }), async (tail) => {
        const { code, stderr } = await runCli(['enr', 'decode', '--', `enr:${tail}`])
        expect([0, 2]).toContain(code)
        if (code === 2) expect(stderr).toMatch(/^parley: /)
      }),
      { numRuns: 30 },
    )
  })
})

describe('parley enr from-key', () => {
  it('signs the addresses with --nodekey, reproducing the EIP-778 example', async () => {
    const vector = caseById(vectors, 'eip778-example-record')
    const fields = await json([
      'enr',
      'from-key',
      '--nodekey',
      str(vector.input, 'private_key'),
      '--ip',
      '127.0.0.1',
      '--udp',
      '30303',
    ])
    expect(fields.enr).toBe(str(vector.input, 'enr_text'))
    expect(fields.privateKey).toBeUndefined()
  })

  it('generates a key when none is given and prints it with a record it signs', async () => {
    const fields = await json(['enr', 'from-key', '--ip', '192.0.2.1', '--tcp', '30303', '--udp', '30304'])
    const record = decodeEnr(String(fields.enr), secp)
    expect(bytesToHex(record.publicKey)).toBe(
      bytesToHex(secp.getPublicKey(Uint8Array.from(Buffer.from(String(fields.privateKey), 'hex')), true)),
    )
    expect(fields).toMatchObject({ ip: '192.0.2.1', tcp: 30303, udp: 30304, seq: '1' })
  })

  it('puts an IPv6 address in ip6/tcp6', async () => {
    const fields = await json(['enr', 'from-key', '--ip', '::1', '--tcp', '1'])
    expect(fields).toMatchObject({ ip: null, tcp: null, ip6: '::1', tcp6: 1 })
  })

  it('refuses a bad address or key with exit 2', async () => {
    expect((await runCli(['enr', 'from-key', '--ip', '300.1.1.1'])).code).toBe(2)
    expect((await runCli(['enr', 'from-key', '--nodekey', 'abc'])).code).toBe(2)
    expect((await runCli(['enr', 'from-key', '--tcp', '70000'])).code).toBe(2)
  })
})

describe('parley dns resolve', () => {
  const record = (n: number) =>
    enrToText(
      signEnr(
        { seq: 1, entries: addressEntries({ ip: `10.0.0.${n}`, tcp: 30303 }) },
        generatePrivateKey(),
        secp,
      ),
    )

  it('prints the verified records of a tree and of the tree it links to', async () => {
    const leaf = buildTree(
      { enrs: [record(3)], links: [], seq: 2, domain: 'leaf.test' },
      generatePrivateKey(),
      secp,
    )
    const top = buildTree(
      { enrs: [record(1), record(2)], links: [leaf.url], seq: 5, domain: 'top.test' },
      generatePrivateKey(),
      secp,
    )
    const records = new Map([...top.records, ...leaf.records])
    const server = await serveTree(records, { address: '127.0.0.1', port: 0 })
    try {
      const out = await json(['dns', 'resolve', top.url, '--nameserver', `127.0.0.1:${server.port}`])
      const trees = out.trees as Array<{
        url: string
        seq: number
        enrs: Array<{ ip: string }>
        links: string[]
      }>
      expect(trees.map((tree) => [tree.url, tree.seq, tree.links])).toEqual([
        [top.url, 5, [leaf.url]],
        [leaf.url, 2, []],
      ])
      expect(trees[0]?.enrs.map((enr) => enr.ip).sort()).toEqual(['10.0.0.1', '10.0.0.2'])
      expect(trees[1]?.enrs.map((enr) => enr.ip)).toEqual(['10.0.0.3'])

      // Another key in the URL: the root signature no longer verifies.
      const forged = top.url.replace(/^enrtree:\/\/[A-Z2-7]+@/, `${leaf.url.split('@')[0]}@`)
      const failed = await runCli(['dns', 'resolve', forged, '--nameserver', `127.0.0.1:${server.port}`])
      expect(failed.code).toBe(1)
      expect(failed.stderr).toMatch(/^parley: .*sig/i)
    } finally {
      await server.close()
    }
  })

  it('refuses a URL that is not enrtree:// and a bad --nameserver with exit 2', async () => {
    expect((await runCli(['dns', 'resolve', 'https://example.org'])).code).toBe(2)
    const url = 'enrtree://AM5FCQLWIZX2QFPNJAP7VUERCCRNGRHWZG3YYHIUV7BVDQ5FDPRT2@nodes.example.org'
    expect((await runCli(['dns', 'resolve', url, '--nameserver', 'nowhere'])).code).toBe(2)
  })
})
