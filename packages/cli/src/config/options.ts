/**
 * Option declarations: one record per option, read by the flag parser, the environment and TOML
 * loaders, `--help`, `dumpconfig` and the README table, so an option is described exactly once.
 */
export type OptionType = 'string' | 'int' | 'number' | 'bool' | 'enum' | 'list'

export interface Option<T = unknown> {
  readonly type: OptionType
  /** One or two sentences for `--help` and the README; the first sentence stands alone. */
  readonly description: string
  /** `undefined` means "unset": the option is omitted from `dumpconfig` and the plugin uses its own default. */
  readonly default: T
  /** allowed values of an `enum` option, lower case */
  readonly values?: readonly string[]
  /** inclusive bounds of an `int` or `number` option */
  readonly min?: number
  readonly max?: number
  /** never printed by `dumpconfig` (geth leaves the node key out of its dump the same way) */
  readonly secret?: boolean
  /** what `--help` shows after the flag: `--nodekey <hex>` */
  readonly placeholder?: string
  /** Extra validation; returns why the value is wrong. Method syntax keeps `Option<string>` assignable to `Option`. */
  check?(value: Exclude<T, undefined>): string | undefined
}

/** A set of options by key; keys are the kebab-case flag and TOML names. */
export type Schema = Readonly<Record<string, Option<unknown>>>

/** The typed values of a schema: `{ 'log-level': 'trace' | …, 'metrics-server-port': number, … }`. */
export type ConfigOf<S extends Schema> = {
  -readonly [K in keyof S]: S[K] extends Option<infer T> ? T : never
}

interface Common<T> {
  description: string
  secret?: boolean
  placeholder?: string
  check?(value: Exclude<T, undefined>): string | undefined
}

export function stringOption(init: Common<string> & { default: string }): Option<string>
export function stringOption(init: Common<string> & { default?: undefined }): Option<string | undefined>
export function stringOption(init: Common<string> & { default?: string }): Option<string | undefined> {
  return { ...init, type: 'string', default: init.default }
}

export function intOption(
  init: Common<number> & { default: number; min?: number; max?: number },
): Option<number>
export function intOption(
  init: Common<number> & { default?: undefined; min?: number; max?: number },
): Option<number | undefined>
export function intOption(
  init: Common<number> & { default?: number; min?: number; max?: number },
): Option<number | undefined> {
  return { ...init, type: 'int', default: init.default }
}

/** A finite decimal number, such as a proof-of-work target (`0.002`). */
export function numberOption(
  init: Common<number> & { default: number; min?: number; max?: number },
): Option<number> {
  return { ...init, type: 'number' }
}

export function boolOption(init: Common<boolean> & { default: boolean }): Option<boolean> {
  return { ...init, type: 'bool' }
}

export function enumOption<const V extends string>(
  init: Common<V> & { values: readonly V[]; default: V },
): Option<V> {
  return { ...init, type: 'enum' }
}

export function listOption(init: Common<string[]> & { default: string[] }): Option<string[]> {
  return { ...init, type: 'list' }
}

/** `log-level` → `PARLEY_LOG_LEVEL` */
export function envName(key: string): string {
  return `PARLEY_${key.toUpperCase().replaceAll('-', '_')}`
}

/** What `--help` and the README show as the option's value: `<int 0..65535>`, `<text|json>`. */
export function valueHint(option: Option): string {
  if (option.placeholder !== undefined) return `<${option.placeholder}>`
  switch (option.type) {
    case 'bool':
      return '[=true|false]'
    case 'enum':
      return `<${(option.values ?? []).join('|')}>`
    case 'int':
      return option.min !== undefined && option.max !== undefined ? `<${option.min}..${option.max}>` : '<int>'
    case 'number':
      return option.min !== undefined ? `<number ≥ ${option.min}>` : '<number>'
    case 'list':
      return '<a,b,…>'
    default:
      return '<string>'
  }
}

/** The default as a user would type it; `(unset)` when there is none. */
export function formatDefault(option: Option): string {
  const value = option.default
  if (value === undefined) return '(unset)'
  if (Array.isArray(value)) return value.length === 0 ? '(empty)' : value.join(',')
  return String(value)
}
