/** Option documentation rendered from the schema: the `--help` option list and the README table. */
import { envName, formatDefault, type Schema, valueHint } from './options.ts'

/** Option lines for `--help`, wrapped for an 100-column terminal. */
export function optionsHelp(schema: Schema, withEnv = true): string[] {
  const lines: string[] = []
  for (const [key, option] of Object.entries(schema)) {
    const flag = option.type === 'bool' ? `--${key}${valueHint(option)}` : `--${key} ${valueHint(option)}`
    const facts = [`default ${formatDefault(option)}`]
    if (withEnv) facts.unshift(`env ${envName(key)}`)
    lines.push(`  ${flag}`)
    for (const line of wrap(`${option.description} (${facts.join(', ')})`, 94)) lines.push(`      ${line}`)
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
    const cells = [
      `\`${key}\``,
      `\`${envName(key)}\``,
      `\`${valueHint(option)
        .replace(/^\[=|\]$/g, '')
        .replaceAll('|', '\\|')}\``,
      `\`${formatDefault(option)}\``,
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
