import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createNode } from '@parley/core'
import { libp2pHost } from '@parley/interfaces'
import { libp2p } from '@parley/transport-libp2p'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli, whileStarted } from './run.ts'

// A throwaway self-signed certificate for 127.0.0.1, made per run with the system openssl.
let dir = ''
let certPath = ''
let keyPath = ''
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'parley-cli-wss-'))
  certPath = join(dir, 'cert.pem')
  keyPath = join(dir, 'key.pem')
  const subject = ['-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-days', '1']
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyPath, '-out', certPath, ...subject],
    { stdio: 'ignore' },
  )
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const LOCAL = [
  '--protocol',
  'waku2',
  '--listen-address',
  '127.0.0.1',
  '--tcp-port',
  '0',
  '--log-level=silent',
]
const WSS_LINE = /^libp2p: (\/ip4\/127\.0\.0\.1\/tcp\/\d+\/(?:wss|tls\/ws)\/p2p\/(16Uiu2HA\w+))$/m

describe('parley start --protocol waku2 --websocket-secure-support', () => {
  it('prints a secure WebSocket address that a peer trusting the certificate dials over TLS', async () => {
    const argv = [
      ...LOCAL,
      '--websocket-secure-support',
      '--websocket-port=0',
      `--websocket-secure-cert-path=${certPath}`,
      `--websocket-secure-key-path=${keyPath}`,
    ]
    const result = await whileStarted(
      argv,
      (stdout) => WSS_LINE.test(stdout),
      async (stdout) => {
        const [, address = '', id = ''] = WSS_LINE.exec(stdout) ?? []
        // secure support replaces the plain WebSocket listener, as in nwaku
        expect(stdout).not.toMatch(/\/tcp\/\d+\/ws\/p2p\//)
        const peer = createNode({
          name: 'peer',
          transports: [
            libp2p({
              listen: [],
              keepAliveInterval: 0,
              webSocketTrustedCertificates: [readFileSync(certPath, 'utf8')],
            }),
          ],
          logger: { level: 'silent' },
        })
        await peer.start()
        try {
          await peer.get(libp2pHost).dial(address, { signal: AbortSignal.timeout(10_000) })
          expect(peer.get(libp2pHost).connectedPeers()).toEqual([id])
        } finally {
          await peer.stop()
        }
      },
    )
    expect(result.code).toBe(0)
  })

  it('exits 2 before opening anything when a certificate file is missing', async () => {
    const missing = join(dir, 'missing.pem')
    const { code, stdout, stderr } = await runCli([
      'start',
      ...LOCAL,
      '--websocket-secure-support',
      `--websocket-secure-cert-path=${missing}`,
      `--websocket-secure-key-path=${keyPath}`,
    ])
    expect({ code, stdout }).toEqual({ code: 2, stdout: '' })
    expect(stderr).toContain(`--websocket-secure-cert-path ${missing}: no such file`)
  })
})
