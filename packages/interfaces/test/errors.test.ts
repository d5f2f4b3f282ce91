import {
  AbortError,
  capability,
  capabilityName,
  DecodeError,
  isStartable,
  MissingCapabilityError,
  ParleyError,
  PluginStartError,
} from '@parley/interfaces'
import { describe, expect, it } from 'vitest'

describe('error classes', () => {
  it('carry a stable name and code and remain Errors', () => {
    const error = new DecodeError('bad rlp')
    expect(error).toBeInstanceOf(ParleyError)
    expect(error).toBeInstanceOf(Error)
    expect(error.name).toBe('DecodeError')
    expect(error.code).toBe('ERR_DECODE')
    expect(DecodeError.code).toBe('ERR_DECODE')
    expect(new AbortError().code).toBe('ERR_ABORTED')
  })

  it('name the plugin and the capability when a need is unmet', () => {
    const error = new MissingCapabilityError('whisper', 'devp2p-host')
    expect(error.message).toContain('whisper')
    expect(error.message).toContain('devp2p-host')
    expect(error.plugin).toBe('whisper')
    expect(error.capability).toBe('devp2p-host')
  })

  it('keep the cause of a failed start', () => {
    const cause = new Error('port in use')
    const error = new PluginStartError('devp2p', { cause })
    expect(error.cause).toBe(cause)
    expect(error.message).toContain('port in use')
  })
})

describe('capabilities', () => {
  it('are the same symbol for the same name across calls', () => {
    expect(capability('x-test')).toBe(capability('x-test'))
    expect(capabilityName(capability('x-test'))).toBe('x-test')
  })

  it('recognises startables', () => {
    expect(isStartable({ start() {}, stop() {} })).toBe(true)
    expect(isStartable({ start() {} })).toBe(false)
    expect(isStartable(null)).toBe(false)
  })
})
