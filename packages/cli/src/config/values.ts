/**
 * Turns raw values into typed ones. Flags and environment variables arrive as text; TOML values
 * arrive typed, and a TOML string where an integer belongs is an error, not a conversion.
 */
import type { Option } from './options.ts'

export type Parsed = { ok: true; value: unknown } | { ok: false; reason: string }

const INTEGER = /^[+-]?\d+$/
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i
const TRUE = new Set(['true', '1', 'yes'])
const FALSE = new Set(['false', '0', 'no'])

/** Parses a flag or environment value. `texts` holds every occurrence, so a repeated list flag appends. */
export function parseText(option: Option, texts: readonly string[]): Parsed {
  if (option.type === 'list') {
    const items = texts.flatMap((text) => text.split(',')).map((item) => item.trim())
    return checked(
      option,
      items.filter((item) => item !== ''),
    )
  }
  // For a single-valued option given twice, the last one wins, as with geth and nwaku flags.
  const text = texts.at(-1) ?? ''
  switch (option.type) {
    case 'int': {
      if (!INTEGER.test(text.trim())) return fail(option, text)
      return checkedInt(option, Number(text.trim()), text)
    }
    case 'number': {
      if (!DECIMAL.test(text.trim())) return fail(option, text)
      return checkedNumber(option, Number(text.trim()), text)
    }
    case 'bool': {
      const lower = text.trim().toLowerCase()
      if (TRUE.has(lower)) return { ok: true, value: true }
      if (FALSE.has(lower)) return { ok: true, value: false }
      return fail(option, text)
    }
    case 'enum':
      return enumValue(option, text.trim())
    default:
      return checked(option, text)
  }
}

/** Checks a value read from TOML, where the type is already known. */
export function parseToml(option: Option, value: unknown): Parsed {
  switch (option.type) {
    case 'int':
      if (typeof value === 'bigint') return fail(option, value)
      if (typeof value !== 'number' || !Number.isInteger(value)) return fail(option, value)
      return checkedInt(option, value, value)
    case 'number':
      // TOML writes 1 as an integer and 0.5 as a float; both are numbers here.
      return typeof value === 'number' ? checkedNumber(option, value, value) : fail(option, value)
    case 'bool':
      return typeof value === 'boolean' ? { ok: true, value } : fail(option, value)
    case 'enum':
      return typeof value === 'string' ? enumValue(option, value) : fail(option, value)
    case 'list':
      // Integers are allowed and kept as their decimal text, so `shard = [0, 1]` reads as nwaku's.
      if (
        !Array.isArray(value) ||
        !value.every(
          (item) => typeof item === 'string' || (typeof item === 'number' && Number.isSafeInteger(item)),
        )
      )
        return fail(option, value)
      return checked(
        option,
        value.map((item) => String(item)),
      )
    default:
      return typeof value === 'string' ? checked(option, value) : fail(option, value)
  }
}

/** What a valid value looks like, for error messages. */
export function expectation(option: Option): string {
  switch (option.type) {
    case 'int':
      return option.min !== undefined && option.max !== undefined
        ? `an integer from ${option.min} to ${option.max}`
        : 'an integer'
    case 'number':
      return option.min !== undefined ? `a number from ${option.min}` : 'a number'
    case 'bool':
      return 'true or false'
    case 'enum':
      return `one of ${(option.values ?? []).join(', ')}`
    case 'list':
      return 'a list of strings or integers'
    default:
      return 'a string'
  }
}

function enumValue(option: Option, text: string): Parsed {
  // nwaku spells levels in upper case (`--log-level=DEBUG`); accept either and keep the canonical form.
  const lower = text.toLowerCase()
  return option.values?.includes(lower) === true ? checked(option, lower) : fail(option, text)
}

function checkedInt(option: Option, value: number, raw: unknown): Parsed {
  if (!Number.isSafeInteger(value)) return fail(option, raw)
  if (option.min !== undefined && value < option.min) return fail(option, raw)
  if (option.max !== undefined && value > option.max) return fail(option, raw)
  return checked(option, value)
}

function checkedNumber(option: Option, value: number, raw: unknown): Parsed {
  if (!Number.isFinite(value)) return fail(option, raw)
  if (option.min !== undefined && value < option.min) return fail(option, raw)
  if (option.max !== undefined && value > option.max) return fail(option, raw)
  return checked(option, value)
}

function checked(option: Option, value: unknown): Parsed {
  const reason = option.check?.(value as never)
  return reason === undefined ? { ok: true, value } : { ok: false, reason }
}

function fail(option: Option, raw: unknown): Parsed {
  return { ok: false, reason: `expected ${expectation(option)}, got ${describe(raw)}` }
}

function describe(raw: unknown): string {
  if (typeof raw === 'string') return JSON.stringify(raw)
  if (typeof raw === 'bigint') return `${raw}`
  if (Array.isArray(raw)) return 'an array'
  if (raw !== null && typeof raw === 'object') return 'a table'
  return String(raw)
}
