import { readFile } from 'node:fs/promises'
import { type AbortOptions, InvalidConfigError } from '@parley/interfaces'
import { parse, TomlError } from 'smol-toml'
import { type Schema, stringOption } from './options.ts'
import { type Presets, type ResolvedConfig, resolveConfig } from './resolve.ts'
import type { Replacements } from './suggest.ts'

/** The flag and variable naming the TOML file; not an option of the file itself. */
export const CONFIG_FILE_FLAG = 'config-file'
export const CONFIG_FILE_ENV = 'PARLEY_CONFIG_FILE'
export const CONFIG_FILE_OPTION = stringOption({
  placeholder: 'path',
  description: 'TOML file of configuration options, with the same keys as the flags.',
})

export interface LoadConfigInputs extends AbortOptions {
  flags?: ReadonlyMap<string, readonly string[]>
  env?: Readonly<Record<string, string | undefined>>
  /** the `--config-file` value; falls back to `PARLEY_CONFIG_FILE` */
  configFile?: string
  /** keys that were renamed or replaced (`configReplacements` for `configSchema`) */
  replaced?: Replacements
  /** named default bundles (`configPresets` for `configSchema`) */
  presets?: Presets
}

export interface LoadedConfig<S extends Schema> extends ResolvedConfig<S> {
  /** the TOML file read, if any */
  file?: string
}

/** Reads the TOML file (if one is named) and resolves every source against `schema`. */
export async function loadConfig<S extends Schema>(
  schema: S,
  inputs: LoadConfigInputs = {},
): Promise<LoadedConfig<S>> {
  const path = inputs.configFile ?? nonEmpty(inputs.env?.[CONFIG_FILE_ENV])
  const file = path === undefined ? undefined : { path, table: await readTomlFile(path, inputs) }
  const resolved = resolveConfig(schema, {
    flags: inputs.flags,
    env: inputs.env,
    file,
    otherEnv: [CONFIG_FILE_ENV],
    replaced: inputs.replaced,
    presets: inputs.presets,
  })
  return path === undefined ? resolved : { ...resolved, file: path }
}

export async function readTomlFile(
  path: string,
  options: AbortOptions = {},
): Promise<Record<string, unknown>> {
  let text: string
  try {
    text = await readFile(path, { encoding: 'utf8', signal: options.signal })
  } catch (error) {
    if (options.signal?.aborted === true) throw error
    const reason =
      (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message
    throw new InvalidConfigError(`config file ${path}: ${reason}`, { cause: error })
  }
  try {
    return parse(text)
  } catch (error) {
    if (!(error instanceof TomlError)) throw error
    // TomlError messages carry a code excerpt over several lines; the first line holds the reason.
    const reason = error.message.split('\n')[0] ?? 'invalid TOML'
    throw new InvalidConfigError(
      `config file ${path}: line ${error.line}, column ${error.column}: ${reason}`,
      {
        cause: error,
      },
    )
  }
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value
}
