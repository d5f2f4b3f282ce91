/**
 * `dumpconfig` output: the effective configuration as a TOML file that `--config-file` loads back
 * (as `geth dumpconfig` does), or as JSON. Unset options and secrets are left out of both.
 */
import { stringify } from 'smol-toml'
import type { ConfigOf, Schema } from './options.ts'

export function configToToml<S extends Schema>(schema: S, values: ConfigOf<S>): string {
  const lines = ['# parley configuration, as printed by `parley dumpconfig`', '']
  for (const [key, option] of Object.entries(schema)) {
    lines.push(`# ${firstSentence(option.description)}`)
    const value = (values as Record<string, unknown>)[key]
    if (option.secret && value !== undefined) {
      lines.push(`# ${key} is set but not printed (secret)`)
    } else if (value === undefined) {
      lines.push(`# ${key} is unset`)
    } else {
      lines.push(stringify({ [key]: value }).trim())
    }
    lines.push('')
  }
  return lines.join('\n')
}

export function configToJson<S extends Schema>(schema: S, values: ConfigOf<S>): string {
  const printable: Record<string, unknown> = {}
  for (const [key, option] of Object.entries(schema)) {
    const value = (values as Record<string, unknown>)[key]
    if (value !== undefined && !option.secret) printable[key] = value
  }
  return JSON.stringify(printable)
}

export function firstSentence(text: string): string {
  const end = text.search(/\.(\s|$)/)
  return end === -1 ? text : text.slice(0, end + 1)
}
