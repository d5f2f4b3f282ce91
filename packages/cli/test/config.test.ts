import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../src/config/load.ts'
import { boolOption, enumOption, intOption, listOption, stringOption } from '../src/config/options.ts'
import { resolveConfig } from '../src/config/resolve.ts'
import { configSchema } from '../src/config/schema.ts'
import { closest } from '../src/config/suggest.ts'

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'parley-cli-config-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

async function tomlFile(name: string, text: string): Promise<string> {
  const path = join(dir, name)
  await writeFile(path, text)
  return path
}

/** The error `promise` rejects with; fails the test when it resolves. */
async function rejection(promise: Promise<unknown>): Promise<Error & { code?: string }> {
  try {
    await promise
  } catch (error) {
    return error as Error
  }
  throw new Error('expected a rejection')
}

const flags = (entries: Record<string, string[]>) => new Map(Object.entries(entries))

describe('loadConfig precedence: flags > env > file > defaults', () => {
  it('takes each key from the highest source that sets it', async () => {
    const file = await tomlFile(
      'precedence.toml',
      'name = "from-file"\nlog-level = "warn"\nmetrics-server-port = 9000\nmetrics-server = true\n',
    )
    const loaded = await loadConfig(configSchema, {
      configFile: file,
      env: { PARLEY_NAME: 'from-env', PARLEY_LOG_LEVEL: 'error', HOME: '/ignored' },
      flags: flags({ 'log-level': ['debug'] }),
    })
    expect(loaded.values).toMatchObject({
      'log-level': 'debug',
      name: 'from-env',
      'metrics-server-port': 9000,
      'metrics-server': true,
      'log-format': 'text',
      'store-message-db-url': 'memory://',
    })
    expect(loaded.values.nodekey).toBeUndefined()
    expect(loaded.origins).toMatchObject({
      'log-level': 'flag',
      name: 'env',
      'metrics-server-port': 'file',
      'log-format': 'default',
    })
    expect(loaded.file).toBe(file)
  })

  it('finds the file through PARLEY_CONFIG_FILE, and the flag wins over it', async () => {
    const a = await tomlFile('a.toml', 'name = "a"\n')
    const b = await tomlFile('b.toml', 'name = "b"\n')
    expect((await loadConfig(configSchema, { env: { PARLEY_CONFIG_FILE: a } })).values.name).toBe('a')
    expect(
      (await loadConfig(configSchema, { env: { PARLEY_CONFIG_FILE: a }, configFile: b })).values.name,
    ).toBe('b')
  })

  it('returns the defaults when nothing is set', async () => {
    const loaded = await loadConfig(configSchema, { env: {} })
    for (const [key, option] of Object.entries(configSchema)) {
      expect(loaded.values[key as keyof typeof configSchema]).toEqual(option.default)
    }
  })

  it('accepts nwaku-style upper-case enum values and yes/no booleans from text', async () => {
    const loaded = await loadConfig(configSchema, {
      env: { PARLEY_METRICS_SERVER: 'yes' },
      flags: flags({ 'log-level': ['DEBUG'] }),
    })
    expect(loaded.values['log-level']).toBe('debug')
    expect(loaded.values['metrics-server']).toBe(true)
  })
})

describe('unknown keys are errors that name every one of them', () => {
  it('in the TOML file, with the closest known key', async () => {
    const file = await tomlFile('unknown.toml', 'log-levl = "debug"\nbogus-option = 1\n[table]\nx = 1\n')
    const error = await rejection(loadConfig(configSchema, { configFile: file }))
    expect(error).toMatchObject({ code: 'ERR_INVALID_CONFIG' })
    const message = error.message
    expect(message).toContain(`config file ${file}`)
    expect(message).toContain('log-levl (did you mean log-level?)')
    expect(message).toContain('bogus-option')
    expect(message).toContain('table')
  })

  it('in PARLEY_* environment variables, ignoring other variables', async () => {
    const error = await rejection(
      loadConfig(configSchema, {
        env: { PARLEY_LOG_LEVL: 'debug', PARLEY_NOPE: '1', PATH: '/bin', parley_lower: 'x' },
      }),
    )
    expect(error).toMatchObject({ code: 'ERR_INVALID_CONFIG' })
    expect(error.message).toContain('PARLEY_LOG_LEVL (did you mean PARLEY_LOG_LEVEL?)')
    expect(error.message).toContain('PARLEY_NOPE')
    expect(error.message).not.toContain('PATH')
  })

  it('in flags handed to the resolver', () => {
    expect(() => resolveConfig(configSchema, { flags: flags({ 'metrics-sever': ['true'] }) })).toThrow(
      /--metrics-sever \(did you mean --metrics-server\?\)/,
    )
  })

  it('reports every source at once', async () => {
    const file = await tomlFile('both.toml', 'nmae = "x"\n')
    await expect(loadConfig(configSchema, { configFile: file, env: { PARLEY_NAEM: 'y' } })).rejects.toThrow(
      /config file .*both\.toml: nmae \(did you mean name\?\); environment: PARLEY_NAEM \(did you mean PARLEY_NAME\?\)/,
    )
  })
})

describe('type errors name the key and the source', () => {
  it('a TOML string where an integer belongs', async () => {
    const file = await tomlFile('types.toml', 'metrics-server-port = "8008"\nmetrics-server = "yes"\n')
    const error = await rejection(loadConfig(configSchema, { configFile: file }))
    expect(error).toMatchObject({ code: 'ERR_INVALID_CONFIG' })
    expect(error.message).toContain(
      `metrics-server-port from config file ${file}: expected an integer from 0 to 65535, got "8008"`,
    )
    expect(error.message).toContain(
      `metrics-server from config file ${file}: expected true or false, got "yes"`,
    )
  })

  it('a bad environment value, even when a flag overrides it', async () => {
    await expect(
      loadConfig(configSchema, {
        env: { PARLEY_METRICS_SERVER_PORT: '80a' },
        flags: flags({ 'metrics-server-port': ['8080'] }),
      }),
    ).rejects.toThrow(
      'metrics-server-port from environment variable PARLEY_METRICS_SERVER_PORT: expected an integer',
    )
  })

  it('out of range, not in the enum, failing the option check', async () => {
    const error = await rejection(
      loadConfig(configSchema, {
        flags: flags({ 'metrics-server-port': ['70000'], 'log-format': ['xml'], nodekey: ['abcd'] }),
      }),
    )
    expect(error.message).toContain(
      'metrics-server-port from flag --metrics-server-port: expected an integer from 0 to 65535, got "70000"',
    )
    expect(error.message).toContain(
      'log-format from flag --log-format: expected one of text, json, got "xml"',
    )
    expect(error.message).toContain('nodekey from flag --nodekey: expected 64 hex digits')
    expect(error.message).not.toContain('\n')
  })

  it('TOML syntax errors give the line and stay on one line', async () => {
    const file = await tomlFile('broken.toml', 'name = "ok"\nlog-level = \n')
    const error = await rejection(loadConfig(configSchema, { configFile: file }))
    expect(error).toMatchObject({ code: 'ERR_INVALID_CONFIG' })
    expect(error.message).toMatch(new RegExp(`^config file ${file}: line 2, column \\d+: .+`))
    expect(error.message).not.toContain('\n')
  })

  it('a missing file', async () => {
    await expect(loadConfig(configSchema, { configFile: join(dir, 'absent.toml') })).rejects.toThrow(
      /absent\.toml: no such file/,
    )
  })
})

describe('value types', () => {
  const schema = {
    peers: listOption({ default: [], description: 'Peers.' }),
    count: intOption({ default: 1, description: 'Count.' }),
    on: boolOption({ default: false, description: 'On.' }),
    mode: enumOption({ values: ['a', 'b'], default: 'a', description: 'Mode.' }),
    label: stringOption({ description: 'Label.' }),
  }

  it('lists append repeated flags and split commas; single values take the last flag', () => {
    const { values } = resolveConfig(schema, {
      flags: flags({ peers: ['p1,p2', ' p3 '], count: ['2', '3'] }),
    })
    expect(values.peers).toEqual(['p1', 'p2', 'p3'])
    expect(values.count).toBe(3)
  })

  it('lists come from TOML arrays of strings or integers (`shard = [0, 1]`), integers as text', () => {
    expect(resolveConfig(schema, { file: { path: 'f', table: { peers: ['x', 'y'] } } }).values.peers).toEqual(
      ['x', 'y'],
    )
    expect(resolveConfig(schema, { file: { path: 'f', table: { peers: [0, 12] } } }).values.peers).toEqual([
      '0',
      '12',
    ])
    for (const bad of [[1.5], [true], [['x']]])
      expect(() => resolveConfig(schema, { file: { path: 'f', table: { peers: bad } } })).toThrow(
        'peers from config file f: expected a list of strings or integers, got an array',
      )
  })

  it('integers reject floats and unsafe values', () => {
    expect(() => resolveConfig(schema, { file: { path: 'f', table: { count: 1.5 } } })).toThrow(/got 1\.5/)
    expect(() => resolveConfig(schema, { flags: flags({ count: ['99999999999999999999'] }) })).toThrow(
      /count/,
    )
  })

  it('an unset option without a default stays undefined', () => {
    expect(resolveConfig(schema, {}).values.label).toBeUndefined()
  })
})

describe('closest()', () => {
  it('suggests only near misses', () => {
    expect(closest('log-levle', Object.keys(configSchema))).toBe('log-level')
    expect(closest('completely-different', Object.keys(configSchema))).toBeUndefined()
  })
})
