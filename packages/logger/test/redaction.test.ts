import { randomBytes } from 'node:crypto'
import { createLogger, secret } from '@parley/logger'
import { describe, expect, it } from 'vitest'

const MNEMONIC =
  'abandon ability able about above absent absorb abstract absurd abuse access accident acoustic acquire across'

/** Every printable form a 32-byte secret could leak in. */
function leakForms(bytes: Uint8Array): string[] {
  const buffer = Buffer.from(bytes)
  const numbers = [...bytes]
  return [
    buffer.toString('hex'),
    buffer.toString('hex').toUpperCase(),
    buffer.toString('base64'),
    buffer.toString('base64url'),
    numbers.join(','),
    numbers.join(', '),
    numbers.join(' '),
    JSON.stringify(numbers),
    // How JSON.stringify prints a Uint8Array: {"0":12,"1":34,...}
    JSON.stringify(Object.fromEntries(numbers.map((value, index) => [String(index), value]))),
  ]
}

function capture(json: boolean) {
  const lines: string[] = []
  const root = createLogger({ level: 'trace', json, write: (line) => lines.push(line) })
  return { lines, log: root.forComponent('keystore') }
}

describe.each([
  ['text', false],
  ['json', true],
])('secret redaction in %s mode', (_mode, json) => {
  it('never prints keys, passwords or mnemonics, but prints everything else', () => {
    const privateKey = new Uint8Array(randomBytes(32))
    const symKey = new Uint8Array(randomBytes(32))
    const storedKey = new Uint8Array(randomBytes(32))
    const password = 'hunter2-Correct-Horse'
    const { lines, log } = capture(json)

    log.info('loaded %o', { privateKey, password, mnemonic: MNEMONIC, nested: { symKey }, topic: 'cafe0001' })
    log.info('using private key %s', privateKey)
    log.info('private key is 0x%s', Buffer.from(privateKey).toString('hex'))
    log.info(`symmetric key ${Buffer.from(symKey).toString('base64')} installed`)
    log.info('privkey=%s and password=%s', Buffer.from(privateKey).toString('hex'), password)
    log.debug('unlocking with %s', secret(password))
    log.debug('restored from %s', MNEMONIC)
    log.warn(`restored wallet, mnemonic: ${MNEMONIC}`)
    log.info('stored', { key: { id: 'k1', type: 'symmetric', key: storedKey }, peers: 3 })
    log.error('decryption failed', { sym_key: Buffer.from(symKey).toString('hex'), nodekey: privateKey })
    log.info(MNEMONIC)
    log.trace('%j', { deep: { deeper: { deepest: { passphrase: password, seedPhrase: MNEMONIC } } } })

    expect(lines).toHaveLength(12)
    const output = lines.join('\n')
    for (const bytes of [privateKey, symKey, storedKey]) {
      for (const form of leakForms(bytes)) expect(output).not.toContain(form)
    }
    expect(output).not.toContain(password)
    for (const word of ['abandon ability', 'acquire across', 'absurd abuse'])
      expect(output).not.toContain(word)

    // Non-secret values still print.
    expect(output).toContain('cafe0001')
    expect(output).toContain('k1')
    expect(output).toContain('peers')
    expect(output).toContain('decryption failed')
    expect(output).toContain('[redacted]')
    expect(lines[0]).toContain('loaded')
    expect(lines[0]?.match(/\[redacted\]/g)?.length).toBeGreaterThanOrEqual(4)
  })

  it('redacts at any depth and survives cycles', () => {
    const { lines, log } = capture(json)
    const privateKey = new Uint8Array(randomBytes(32))
    const config: Record<string, unknown> = { name: 'node-a', identity: { privateKey } }
    config.self = config
    log.info('config %o', config)
    log.info('config', config)
    const output = lines.join('\n')
    for (const form of leakForms(privateKey)) expect(output).not.toContain(form)
    expect(output).toContain('[Circular]')
    expect(output).toContain('node-a')
  })

  it('keeps hashes and public keys visible', () => {
    const { lines, log } = capture(json)
    const hash = Buffer.from(randomBytes(32)).toString('hex')
    const publicKey = Buffer.from(randomBytes(32)).toString('hex')
    log.info('envelope %s received from %s', `0x${hash}`, 'peer-1')
    log.info(`public key ${publicKey}`)
    log.info('got', { hash: `0x${hash}`, topic: 'abcd0123' })
    const output = lines.join('\n')
    expect(output.split(hash).length - 1).toBe(2)
    expect(output).toContain(publicKey)
  })
})
