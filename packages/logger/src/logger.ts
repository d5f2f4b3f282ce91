import { type ComponentLogger, InvalidConfigError, type Logger } from '@parley/interfaces'
import { formatEntry } from './format.ts'
import { NamespaceFilter } from './namespaces.ts'
import { markRedacting } from './redacting.ts'
import type { Plain } from './sanitize.ts'

export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'silent'

export interface LoggerOptions {
  /** lowest level written (default `PARLEY_LOG_LEVEL`, else `info`) */
  level?: LogLevel
  /** one JSON object per line instead of text (default: `PARLEY_LOG_FORMAT=json`, the CLI's variable, else text) */
  json?: boolean
  /**
   * DEBUG-style enable list (`parley:whisper*,-parley:whisper:peer`); matching namespaces write
   * every level down to `trace` (default the `DEBUG` environment variable)
   */
  namespaces?: string
  /** first namespace segment (default `parley`) */
  prefix?: string
  /** receives each line without its trailing newline (default: standard error) */
  write?: (line: string) => void
}

const LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'silent'] as const
type WritableLevel = Exclude<LogLevel, 'silent'>

const RESERVED_JSON_KEYS = new Set(['time', 'level', 'ns', 'msg'])

interface Settings {
  readonly threshold: number
  readonly json: boolean
  readonly filter: NamespaceFilter | undefined
  readonly write: (line: string) => void
}

/**
 * Creates the root of a logger tree. `forComponent('whisper')` returns the logger for namespace
 * `parley:whisper`; its `child('peer')` logs as `parley:whisper:peer`. Every value passes through
 * secret redaction before it is written.
 */
export function createLogger(options: LoggerOptions = {}): ComponentLogger {
  const env = readEnv()
  const level = options.level ?? parseLevel(env.PARLEY_LOG_LEVEL, 'PARLEY_LOG_LEVEL') ?? 'info'
  if (!LEVELS.includes(level)) throw new InvalidConfigError(`Unknown log level "${String(level)}"`)
  const namespaces = options.namespaces ?? env.DEBUG
  const settings: Settings = {
    threshold: LEVELS.indexOf(level),
    json: options.json ?? env.PARLEY_LOG_FORMAT?.toLowerCase() === 'json',
    filter: namespaces === undefined || namespaces === '' ? undefined : new NamespaceFilter(namespaces),
    write: options.write ?? writeToStderr,
  }
  const prefix = options.prefix ?? 'parley'
  return markRedacting({
    forComponent(name: string): Logger {
      const isPrefixed = prefix === '' || name === prefix || name.startsWith(`${prefix}:`)
      return namespaceLogger(isPrefixed ? name : `${prefix}:${name}`, settings)
    },
  })
}

function namespaceLogger(namespace: string, settings: Settings): Logger {
  const silent = settings.threshold === LEVELS.indexOf('silent')
  // A namespace on the enable list writes everything; `silent` silences even those.
  const threshold = !silent && settings.filter?.matches(namespace) ? 0 : settings.threshold
  const writer =
    (level: WritableLevel) =>
    (message: string, ...args: unknown[]): void => {
      if (LEVELS.indexOf(level) < threshold) return
      settings.write(formatLine(level, namespace, message, args, settings.json))
    }
  const debug = writer('debug')
  return Object.assign((message: string, ...args: unknown[]) => debug(message, ...args), {
    trace: writer('trace'),
    debug,
    info: writer('info'),
    warn: writer('warn'),
    error: writer('error'),
    enabled: threshold <= LEVELS.indexOf('debug'),
    namespace,
    child: (name: string) => namespaceLogger(`${namespace}:${name}`, settings),
  })
}

function formatLine(
  level: WritableLevel,
  namespace: string,
  template: unknown,
  args: unknown[],
  json: boolean,
) {
  const { message, fields } = formatEntry(template, args)
  const time = new Date().toISOString()
  if (json) {
    const entry: Record<string, Plain> = { time, level, ns: namespace, msg: message }
    for (const [key, value] of Object.entries(fields))
      entry[RESERVED_JSON_KEYS.has(key) ? `_${key}` : key] = value
    return JSON.stringify(entry)
  }
  let line = `${time} ${level.toUpperCase()} ${namespace} ${oneLine(message)}`
  for (const [key, value] of Object.entries(fields)) line += ` ${renderKey(key)}=${renderFieldValue(value)}`
  return line
}

// One entry per line, so a message cannot forge the next entry.
function oneLine(text: string): string {
  return text.replace(/\r?\n|\r/g, '\\n')
}

function renderKey(key: string): string {
  return /^[\w.:-]+$/.test(key) ? key : JSON.stringify(key)
}

function renderFieldValue(value: Plain): string {
  if (typeof value === 'string') return /^[^\s"=]+$/.test(value) ? value : JSON.stringify(value)
  return JSON.stringify(value)
}

function writeToStderr(line: string): void {
  const stderr = globalThis.process?.stderr
  if (stderr === undefined) console.error(line)
  else stderr.write(`${line}\n`)
}

function readEnv(): Record<string, string | undefined> {
  return globalThis.process?.env ?? {}
}

function parseLevel(value: string | undefined, source: string): LogLevel | undefined {
  if (value === undefined || value === '') return undefined
  const level = value.toLowerCase()
  if (!(LEVELS as readonly string[]).includes(level)) {
    throw new InvalidConfigError(`${source}="${value}" is not one of ${LEVELS.join(', ')}`)
  }
  return level as LogLevel
}
