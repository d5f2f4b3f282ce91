import { InvalidConfigError, ParleyError } from '@parley/interfaces'
import { createLogger, type LoggerOptions } from '@parley/logger'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'

const TIME = String.raw`\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z`

function capture(options: LoggerOptions = {}) {
  const lines: string[] = []
  const root = createLogger({ level: 'trace', ...options, write: (line) => lines.push(line) })
  return { lines, root }
}

describe('line formats', () => {
  it('writes text lines: time, level, namespace, message, fields', () => {
    const { lines, root } = capture()
    root.forComponent('whisper').child('peer').info('connected to %s', 'peer-1', { port: 30303, ok: true })
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatch(
      new RegExp(`^${TIME} INFO parley:whisper:peer connected to peer-1 port=30303 ok=true$`),
    )
  })

  it('quotes text field values that contain spaces, quotes or equals signs', () => {
    const { lines, root } = capture()
    root.forComponent('x').warn('m', { reason: 'too many peers', plain: 'a-b', nested: { n: 1 } })
    expect(lines[0]).toMatch(/ m reason="too many peers" plain=a-b nested=\{"n":1\}$/)
  })

  it('writes one JSON object per line, fields at the top level', () => {
    const { lines, root } = capture({ json: true })
    root.forComponent('whisper').error('failed %d times', 3, { peer: 'p1', msg: 'collides' })
    const entry = JSON.parse(lines[0] ?? '')
    expect(entry).toEqual({
      time: expect.stringMatching(new RegExp(`^${TIME}$`)),
      level: 'error',
      ns: 'parley:whisper',
      msg: 'failed 3 times',
      peer: 'p1',
      _msg: 'collides',
    })
  })

  it('keeps each entry on one line in text mode', () => {
    const { lines, root } = capture()
    root.forComponent('x').info('first\nINFO parley:fake forged')
    expect(lines).toHaveLength(1)
    expect(lines[0]).toContain('first\\nINFO parley:fake forged')
  })
})

describe('printf-style arguments', () => {
  function format(message: string, ...args: unknown[]): string {
    const { lines, root } = capture({ json: true })
    root.forComponent('f').info(message, ...args)
    return JSON.parse(lines[0] ?? '{}').msg
  }

  it('interpolates %s %d %i %f %j %o %O %c %%', () => {
    expect(format('%s|%d|%i|%f|%%|%c.', 'a', '42', 3.9, '1.5', 'color: red')).toBe('a|42|3|1.5|%|.')
    expect(format('%j %o %O', { a: 1 }, [1, 'x'], null)).toBe('{"a":1} [1,"x"] null')
    expect(format('%d', 12n)).toBe('12')
  })

  it('leaves placeholders without arguments and appends extra arguments', () => {
    expect(format('%s and %s', 'one')).toBe('one and %s')
    expect(format('values', 1, 'two', true)).toBe('values 1 two true')
  })

  it('prints bytes as hex and truncates long ones', () => {
    expect(format('%s', Uint8Array.of(0, 1, 0xab, 0xff))).toBe('0x0001abff')
    const long = new Uint8Array(1000).fill(0xcd)
    expect(format('%s', long)).toBe(`0x${'cd'.repeat(8)}…(1000 bytes)`)
    expect(format('%o', { data: Uint8Array.of(7) })).toBe('{"data":"0x07"}')
  })

  it('prints errors with message and code, and structured when trailing', () => {
    const cause = new Error('socket closed')
    const error = new ParleyError('dial failed', 'ERR_DIAL', { cause })
    expect(format('%s', error)).toBe('ParleyError[ERR_DIAL]: dial failed')
    const { lines, root } = capture({ json: true })
    root.forComponent('f').error('giving up', error)
    expect(JSON.parse(lines[0] ?? '{}').err).toEqual({
      name: 'ParleyError',
      message: 'dial failed',
      code: 'ERR_DIAL',
      cause: { name: 'Error', message: 'socket closed' },
    })
  })

  it('accepts a non-string message', () => {
    const { lines, root } = capture({ json: true })
    const log = root.forComponent('f')
    log.info(new Error('boom') as unknown as string)
    log.info({ peers: 2 } as unknown as string)
    expect(JSON.parse(lines[0] ?? '{}').msg).toBe('Error: boom')
    expect(JSON.parse(lines[1] ?? '{}')).toMatchObject({ msg: '', peers: 2 })
  })
})

describe('levels and namespaces', () => {
  it('writes only messages at or above the level; calling the logger logs at debug', () => {
    const { lines, root } = capture({ level: 'warn' })
    const log = root.forComponent('x')
    log.trace('t')
    log.debug('d')
    log('d2')
    log.info('i')
    log.warn('w')
    log.error('e')
    expect(lines.map((line) => line.split(' ')[1])).toEqual(['WARN', 'ERROR'])
    expect(log.enabled).toBe(false)

    const debug = capture({ level: 'debug' })
    debug.root.forComponent('x')('hello')
    expect(debug.lines[0]).toContain(' DEBUG parley:x hello')
    expect(debug.root.forComponent('x').enabled).toBe(true)
  })

  it('silent writes nothing, even for enabled namespaces', () => {
    const { lines, root } = capture({ level: 'silent', namespaces: '*' })
    root.forComponent('x').error('e')
    expect(lines).toEqual([])
  })

  it('enables namespaces DEBUG-style, down to trace, with exclusions', () => {
    const { lines, root } = capture({ level: 'info', namespaces: 'parley:whisper*,-parley:whisper:peer' })
    const whisper = root.forComponent('whisper')
    const peer = whisper.child('peer')
    const waku = root.forComponent('waku')
    whisper.trace('whisper trace')
    peer.debug('peer debug')
    peer.info('peer info')
    waku.debug('waku debug')
    root.forComponent('whisperx').debug('whisperx debug')
    expect(lines.map((line) => line.slice(line.indexOf(' ', 25) + 1))).toEqual([
      'parley:whisper whisper trace',
      'parley:whisper:peer peer info',
      'parley:whisperx whisperx debug',
    ])
    expect([whisper.enabled, peer.enabled, waku.enabled]).toEqual([true, false, false])
  })

  it('namespaces nest with child and honour the prefix', () => {
    const { root } = capture({ prefix: 'app' })
    expect(root.forComponent('store').child('sqlite').namespace).toBe('app:store:sqlite')
    expect(root.forComponent('app:already').namespace).toBe('app:already')
    expect(capture({ prefix: '' }).root.forComponent('bare').namespace).toBe('bare')
  })

  it('rejects unknown levels', () => {
    expect(() => createLogger({ level: 'loud' as 'info' })).toThrow(InvalidConfigError)
  })
})

describe('environment defaults', () => {
  const saved = { ...process.env }
  beforeEach(() => {
    process.env.PARLEY_LOG_LEVEL = 'error'
    process.env.PARLEY_LOG_FORMAT = 'json'
    process.env.DEBUG = 'parley:db'
  })
  afterEach(() => {
    for (const name of ['PARLEY_LOG_LEVEL', 'PARLEY_LOG_FORMAT', 'DEBUG']) {
      if (saved[name] === undefined) delete process.env[name]
      else process.env[name] = saved[name]
    }
  })

  it('reads PARLEY_LOG_LEVEL, PARLEY_LOG_FORMAT and DEBUG when options are absent', () => {
    const lines: string[] = []
    const root = createLogger({ write: (line) => lines.push(line) })
    root.forComponent('net').warn('not written')
    root.forComponent('net').error('written')
    root.forComponent('db').trace('enabled by DEBUG')
    expect(lines.map((line) => JSON.parse(line).msg)).toEqual(['written', 'enabled by DEBUG'])
  })

  it('lets options override the environment', () => {
    const lines: string[] = []
    const root = createLogger({
      level: 'info',
      json: false,
      namespaces: '',
      write: (line) => lines.push(line),
    })
    root.forComponent('net').info('text')
    root.forComponent('db').debug('not enabled')
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatch(/ INFO parley:net text$/)
  })

  it('rejects a malformed PARLEY_LOG_LEVEL', () => {
    process.env.PARLEY_LOG_LEVEL = 'verbose'
    expect(() => createLogger()).toThrow(/PARLEY_LOG_LEVEL/)
  })
})
