/**
 * Command-line splitting: `--key=value`, `--key value`, bare `--flag` for booleans, `-h`, and `--`
 * to end options. Values stay text here; the option schema types them.
 */
import { InvalidParametersError } from '@parley/interfaces'
import type { Schema } from './config/options.ts'
import { describeUnknown, type Replacements } from './config/suggest.ts'

export interface ParsedArgs {
  positionals: string[]
  /** every occurrence of each flag, in order */
  flags: Map<string, string[]>
}

const SHORT_FLAGS: Readonly<Record<string, string>> = { h: 'help' }

/**
 * Splits `argv` against the flags `known` declares; names every unknown flag in one error, with
 * the new name of a `replaced` one.
 */
export function parseArgs(argv: readonly string[], known: Schema, replaced: Replacements = {}): ParsedArgs {
  const positionals: string[] = []
  const flags = new Map<string, string[]>()
  const unknown: string[] = []

  for (let index = 0; index < argv.length; index++) {
    const token = argv[index] ?? ''
    if (token === '--') {
      positionals.push(...argv.slice(index + 1))
      break
    }
    if (!token.startsWith('-') || token === '-') {
      positionals.push(token)
      continue
    }
    const [name, inlineValue] = splitFlag(token)
    const option = known[name]
    if (option === undefined) {
      unknown.push(name)
      continue
    }
    let value = inlineValue
    if (value === undefined && option.type === 'bool') value = 'true'
    if (value === undefined) {
      const next = argv[index + 1]
      if (next === undefined || next.startsWith('--'))
        throw new InvalidParametersError(`flag --${name} needs a value`)
      value = next
      index++
    }
    const values = flags.get(name) ?? []
    values.push(value)
    flags.set(name, values)
  }

  if (unknown.length > 0) {
    const keys = Object.keys(known)
    const described = unknown.map((name) => describeUnknown(name, keys, (key) => `--${key}`, replaced))
    throw new InvalidParametersError(`unknown flag${unknown.length > 1 ? 's' : ''}: ${described.join(', ')}`)
  }
  return { positionals, flags }
}

function splitFlag(token: string): [name: string, value: string | undefined] {
  if (!token.startsWith('--')) {
    const short = token.slice(1)
    return [SHORT_FLAGS[short] ?? short, undefined]
  }
  const body = token.slice(2)
  const equals = body.indexOf('=')
  return equals === -1 ? [body, undefined] : [body.slice(0, equals), body.slice(equals + 1)]
}
