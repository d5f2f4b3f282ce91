/**
 * Merges configuration sources: flags > `PARLEY_*` environment > TOML file > defaults. Every value
 * any source gives is validated, even one a higher source overrides, so a broken file is reported
 * the day it breaks rather than the day the overriding flag is dropped.
 */
import { InvalidConfigError } from '@parley/interfaces'
import { type ConfigOf, envName, type Option, type Schema } from './options.ts'
import { describeUnknown, type Replacements } from './suggest.ts'
import { type Parsed, parseText, parseToml } from './values.ts'

export type Origin = 'default' | 'preset' | 'file' | 'env' | 'flag'

/**
 * Named bundles of defaults (`--preset bridge`): the option `option` names one of `tables`, whose
 * values replace the schema's defaults; every other source still overrides them.
 */
export interface Presets {
  option: string
  tables: Readonly<Record<string, Readonly<Record<string, unknown>>>>
}

export interface ConfigInputs {
  /** flag values by key, every occurrence in order (from `parseArgs`) */
  flags?: ReadonlyMap<string, readonly string[]>
  env?: Readonly<Record<string, string | undefined>>
  /** a parsed TOML file */
  file?: { path: string; table: Readonly<Record<string, unknown>> }
  /** `PARLEY_*` variables that are not configuration options but are still known (`PARLEY_CONFIG_FILE`) */
  otherEnv?: readonly string[]
  /** keys that were renamed or replaced, so that an old name is answered with the new one */
  replaced?: Replacements
  presets?: Presets
}

export interface ResolvedConfig<S extends Schema> {
  values: ConfigOf<S>
  /** which source each value came from */
  origins: { [K in keyof S]: Origin }
}

const ENV_PREFIX = 'PARLEY_'
/**
 * Variables of the project's own test and benchmark tooling (`PARLEY_TEST_POSTGRES_URL`,
 * `PARLEY_BENCH_ARCHIVE_SIZE`, …): they share the prefix but are no configuration keys, and a node
 * started beside them (CI, a benchmark) must not refuse to run.
 */
const TOOLING_ENV_PREFIXES = ['PARLEY_TEST_', 'PARLEY_BENCH_'] as const

export function resolveConfig<S extends Schema>(schema: S, inputs: ConfigInputs): ResolvedConfig<S> {
  rejectUnknown(schema, inputs)
  const values: Record<string, unknown> = {}
  const origins: Record<string, Origin> = {}
  const problems: string[] = []
  const preset = chosenPreset(schema, inputs)

  for (const [key, option] of Object.entries(schema)) {
    values[key] = option.default
    origins[key] = 'default'
    const fromPreset = preset?.table[key]
    const layers = candidates(key, option, inputs)
    const all: Iterable<[Origin, string, Parsed]> =
      fromPreset === undefined
        ? layers
        : [['preset', `preset ${preset?.name}`, parseToml(option, fromPreset)], ...layers]
    for (const [origin, label, parsed] of all) {
      if (!parsed.ok) {
        problems.push(`${key} from ${label}: ${parsed.reason}`)
        continue
      }
      values[key] = parsed.value
      origins[key] = origin
    }
  }
  if (problems.length > 0) throw new InvalidConfigError(`invalid configuration: ${problems.join('; ')}`)
  return { values: values as ConfigOf<S>, origins: origins as { [K in keyof S]: Origin } }
}

/** The preset the highest source names, if any; an unknown name is the option's own check's to refuse. */
function chosenPreset(
  schema: Schema,
  inputs: ConfigInputs,
): { name: string; table: Readonly<Record<string, unknown>> } | undefined {
  const presets = inputs.presets
  const option = presets === undefined ? undefined : schema[presets.option]
  if (presets === undefined || option === undefined) return undefined
  let name: unknown
  for (const [, , parsed] of candidates(presets.option, option, inputs)) if (parsed.ok) name = parsed.value
  if (typeof name !== 'string' || !Object.hasOwn(presets.tables, name)) return undefined
  const table = presets.tables[name]
  return table === undefined ? undefined : { name, table }
}

/** The sources that set `key`, lowest precedence first. */
function* candidates(key: string, option: Option, inputs: ConfigInputs): Generator<[Origin, string, Parsed]> {
  const table = inputs.file?.table
  if (table !== undefined && Object.hasOwn(table, key)) {
    yield ['file', `config file ${inputs.file?.path}`, parseToml(option, table[key])]
  }
  const fromEnv = inputs.env?.[envName(key)]
  if (fromEnv !== undefined)
    yield ['env', `environment variable ${envName(key)}`, parseText(option, [fromEnv])]
  const fromFlags = inputs.flags?.get(key)
  if (fromFlags !== undefined && fromFlags.length > 0)
    yield ['flag', `flag --${key}`, parseText(option, fromFlags)]
}

function rejectUnknown(schema: Schema, inputs: ConfigInputs): void {
  const keys = Object.keys(schema)
  const unknown: string[] = []

  if (inputs.file !== undefined) {
    const names = Object.keys(inputs.file.table).filter((key) => !Object.hasOwn(schema, key))
    if (names.length > 0) {
      const described = names.map((name) => describeUnknown(name, keys, (key) => key, inputs.replaced))
      unknown.push(`config file ${inputs.file.path}: ${described.join(', ')}`)
    }
  }

  const knownEnv = new Set([...keys.map(envName), ...(inputs.otherEnv ?? [])])
  const envNames = Object.keys(inputs.env ?? {}).filter(
    (name) =>
      name.startsWith(ENV_PREFIX) &&
      inputs.env?.[name] !== undefined &&
      !knownEnv.has(name) &&
      !TOOLING_ENV_PREFIXES.some((prefix) => name.startsWith(prefix)),
  )
  if (envNames.length > 0) {
    const asKey = (name: string) => name.slice(ENV_PREFIX.length).toLowerCase().replaceAll('_', '-')
    const described = envNames.map((name) => describeUnknown(asKey(name), keys, envName, inputs.replaced))
    unknown.push(`environment: ${described.join(', ')}`)
  }

  const flagNames = [...(inputs.flags?.keys() ?? [])].filter((key) => !Object.hasOwn(schema, key))
  if (flagNames.length > 0) {
    unknown.push(
      `flags: ${flagNames.map((name) => describeUnknown(name, keys, (key) => `--${key}`, inputs.replaced)).join(', ')}`,
    )
  }

  if (unknown.length > 0) throw new InvalidConfigError(`unknown configuration keys: ${unknown.join('; ')}`)
}
