/** Option documentation rendered from the schema: the `--help` option list and the README table. */
import { envName, formatDefault, type Schema, valueHint } from './options.ts'

/**
 * Option entries for `--help`: the flag, the description wrapped for a 100-column terminal, then
 * the environment variable (when `envOf` names one) and the default.
 */
export function optionsHelp(
  schema: Schema,
  envOf: (key: string) => string | undefined = () => undefined,
): string[] {
  const lines: string[] = []
  for (const [key, option] of Object.entries(schema)) {
    lines.push(option.type === 'bool' ? `  --${key}${valueHint(option)}` : `  --${key} ${valueHint(option)}`)
    for (const line of wrap(option.description, 94)) lines.push(`      ${line}`)
    const env = envOf(key)
    const facts = [
      ...(env === undefined ? [] : [`env ${env}`]),
      ...(option.default === undefined ? [] : [`default ${formatDefault(option)}`]),
    ]
    if (facts.length > 0) lines.push(`      ${facts.join(', ')}`)
  }
  return lines
}

/** The Markdown table in packages/cli/README.md, between the `options` markers. */
export function optionsTable(schema: Schema): string {
  const rows = [
    '| TOML key / flag | environment variable | value | default | description |',
    '|---|---|---|---|---|',
  ]
  for (const [key, option] of Object.entries(schema)) {
    // `<0..65535>` and `[=true|false]` are flag syntax; the table shows just the values.
    const values = valueHint(option).replace(/^\[=|^<|\]$|>$/g, '')
    const cells = [
      `\`${key}\``,
      `\`${envName(key)}\``,
      `\`${values.replaceAll('|', '\\|')}\``,
      option.default === undefined ? 'unset' : `\`${formatDefault(option)}\``,
      option.description.replaceAll('|', '\\|'),
    ]
    rows.push(`| ${cells.join(' | ')} |`)
  }
  return rows.join('\n')
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = []
  let line = ''
  for (const word of text.split(/\s+/)) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line)
      line = word
    } else {
      line = line === '' ? word : `${line} ${word}`
    }
  }
  if (line !== '') lines.push(line)
  return lines
}
