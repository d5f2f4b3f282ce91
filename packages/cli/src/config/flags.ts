import { InvalidParametersError } from '@parley/interfaces'
import type { ConfigOf, Schema } from './options.ts'
import { parseText } from './values.ts'

/** Types a command's own flags (`--format json`); they have no file or environment source. */
export function parseFlags<S extends Schema>(
  schema: S,
  flags: ReadonlyMap<string, readonly string[]>,
): ConfigOf<S> {
  const values: Record<string, unknown> = {}
  for (const [key, option] of Object.entries(schema)) {
    const texts = flags.get(key)
    if (texts === undefined || texts.length === 0) {
      values[key] = option.default
      continue
    }
    const parsed = parseText(option, texts)
    if (!parsed.ok) throw new InvalidParametersError(`flag --${key}: ${parsed.reason}`)
    values[key] = parsed.value
  }
  return values as ConfigOf<S>
}
