import { inspect } from 'node:util'
import type { Logger } from '@parley/interfaces'
import {
  createLogger,
  isSecret,
  isSecretField,
  looksLikeMnemonic,
  redactText,
  sanitize,
  secret,
  withRedaction,
} from '@parley/logger'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'

const TWELVE = 'legal winner thank year wave sausage worth useful legal winner thank yellow'

describe('secret()', () => {
  it('prints as [redacted] everywhere and reveals on request', () => {
    const wrapped = secret('hunter2')
    expect(String(wrapped)).toBe('[redacted]')
    expect(JSON.stringify({ wrapped })).toBe('{"wrapped":"[redacted]"}')
    expect(inspect(wrapped)).toBe('[redacted]')
    expect(wrapped.reveal()).toBe('hunter2')
    expect(isSecret(wrapped)).toBe(true)
    expect(isSecret({ reveal: () => 1 })).toBe(false)
    expect(isSecret({ [Symbol.for('parley:secret')]: true })).toBe(true)
  })
})

describe('field names', () => {
  it('match the documented secret pattern, case-insensitively', () => {
    for (const name of [
      'privateKey',
      'PRIV',
      'secret',
      'password',
      'passphrase',
      'mnemonic',
      'seed',
      'symKey',
    ]) {
      expect(isSecretField(name, 'x')).toBe(true)
    }
    for (const name of ['sym_key', 'symmetricKey', 'passwd', 'pwd', 'apiKey', 'accessToken', 'nodekey']) {
      expect(isSecretField(name, 'x')).toBe(true)
    }
    for (const name of ['hash', 'topic', 'publicKey', 'peerId', 'keys', 'id'])
      expect(isSecretField(name, 'x')).toBe(false)
  })

  it('treat a field named exactly `key` as secret only when it holds 32 bytes', () => {
    expect(isSecretField('key', new Uint8Array(32))).toBe(true)
    expect(isSecretField('key', 'ab'.repeat(32))).toBe(true)
    expect(isSecretField('key', `0x${'ab'.repeat(32)}`)).toBe(true)
    expect(isSecretField('key', new Uint8Array(33))).toBe(false)
    expect(isSecretField('key', 'topic/1')).toBe(false)
  })
})

describe('text scanning', () => {
  it('recognises mnemonic-shaped strings', () => {
    expect(looksLikeMnemonic(TWELVE)).toBe(true)
    expect(looksLikeMnemonic(`${TWELVE} zoo zoo zoo`)).toBe(true)
    expect(looksLikeMnemonic(TWELVE.split(' ').slice(0, 11).join(' '))).toBe(false)
    expect(looksLikeMnemonic('Connected To Peer because the remote asked for more topics than we have')).toBe(
      false,
    )
  })

  it('redacts key literals after secret words, not elsewhere', () => {
    const hex = 'c0ffee'.repeat(11).slice(0, 64)
    expect(redactText(`loaded private key 0x${hex}`)).toBe('loaded private key [redacted]')
    expect(redactText(`symKey for topic: ${hex}`)).toBe('symKey for topic: [redacted]')
    expect(redactText(`envelope 0x${hex} expired`)).toBe(`envelope 0x${hex} expired`)
    expect(redactText(`public key ${hex}`)).toBe(`public key ${hex}`)
    expect(redactText(`pubkey ${hex}`)).toBe(`pubkey ${hex}`)
    // 65 hex digits are not a 32-byte key.
    expect(redactText(`key ${hex}0`)).toBe(`key ${hex}0`)
    expect(redactText('login password=hunter2, token: "abc def"')).toBe(
      'login password=[redacted], token: [redacted]',
    )
  })

  it('never lets a 32-byte key through a key-announcing message (property)', () => {
    const templates = [
      'private key %s',
      'privKey=%s',
      'node key: 0x%s',
      'symmetric key %s added',
      'secret %s',
    ]
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.constantFrom(...templates),
        (key, template) => {
          const lines: string[] = []
          const log = createLogger({ write: (line) => lines.push(line) }).forComponent('p')
          log.info(template, Buffer.from(key).toString('hex'))
          log.info(template, key)
          // base64 after a literal `0x` is not a shape anyone prints
          if (!template.includes('0x')) log.info(template, Buffer.from(key).toString('base64'))
          const output = lines.join('\n').toLowerCase()
          return (
            !output.includes(Buffer.from(key).toString('hex')) &&
            !output.includes(Buffer.from(key).toString('base64').toLowerCase())
          )
        },
      ),
      { numRuns: 200 },
    )
  })
})

describe('sanitize', () => {
  it('limits depth and keeps values JSON-compatible', () => {
    let deep: Record<string, unknown> = { leaf: 1 }
    for (let level = 0; level < 10; level++) deep = { deep }
    expect(JSON.stringify(sanitize(deep))).toContain('[Object]')
    expect(sanitize({ n: Number.NaN, b: 5n, s: new Set([1]), m: new Map([['privKey', 1]]) })).toEqual({
      n: 'NaN',
      b: '5',
      s: [1],
      m: { privKey: '[redacted]' },
    })
  })
})

describe('withRedaction', () => {
  it('hands a foreign logger only redacted text and fields', () => {
    const calls: unknown[][] = []
    const spy = ((...args: unknown[]) => calls.push(['debug', ...args])) as unknown as Logger
    const fake: Logger = Object.assign(spy, {
      trace: (...args: unknown[]) => calls.push(['trace', ...args]),
      debug: (...args: unknown[]) => calls.push(['debug', ...args]),
      info: (...args: unknown[]) => calls.push(['info', ...args]),
      warn: (...args: unknown[]) => calls.push(['warn', ...args]),
      error: (...args: unknown[]) => calls.push(['error', ...args]),
      enabled: true,
      namespace: 'ext:x',
      child: () => fake,
    })
    const log = withRedaction({ forComponent: () => fake }).forComponent('x')
    const key = 'ab'.repeat(32)
    log.info('private key %s at 100%%', key, { password: 'hunter2', port: 1 })
    log.warn('plain')
    expect(calls).toEqual([
      ['info', 'private key [redacted] at 100%%', { password: '[redacted]', port: 1 }],
      ['warn', 'plain'],
    ])
    expect(log.enabled).toBe(true)
    expect(log.namespace).toBe('ext:x')
  })

  it('leaves loggers from createLogger as they are', () => {
    const root = createLogger({ write: () => {} })
    expect(withRedaction(root)).toBe(root)
  })
})
