import { optionsHelp } from '../config/docs.ts'
import { CONFIG_FILE_ENV, CONFIG_FILE_FLAG, CONFIG_FILE_OPTION } from '../config/load.ts'
import { envName } from '../config/options.ts'
import { configSchema } from '../config/schema.ts'
import type { Command } from './command.ts'

const PRECEDENCE = 'Precedence: flags > PARLEY_* environment variables > --config-file TOML > defaults.'

/** `topic <name>`: the command's words and its positional arguments. */
function synopsis(command: Command): string {
  return [command.name, ...(command.arguments ?? []).map((arg) => `<${arg.name}>`)].join(' ')
}

export function rootHelp(commands: readonly Command[]): string {
  const width = Math.max(...commands.map((command) => synopsis(command).length), 'help [command]'.length) + 2
  const row = (name: string, summary: string) => `  ${name.padEnd(width)}${summary}`
  return lines(
    'parley: compose and run Status-stack messaging nodes (devp2p, Whisper, Waku)',
    '',
    'Usage: parley <command> [options]',
    '',
    'Commands:',
    ...commands.map((command) => row(synopsis(command), command.summary)),
    row('help [command]', 'Show help for a command'),
    '',
    'Options:',
    row('-h, --help', 'Show help and exit'),
    row('--version', 'Print the version and exit'),
    '',
    `Commands that run a node (${commands
      .filter((command) => command.usesConfig)
      .map((command) => command.name)
      .join(', ')}) take the configuration options`,
    'listed by `parley start --help`, as flags, PARLEY_* environment variables or a TOML file.',
    PRECEDENCE,
    'Tool commands print JSON on success; errors are one line on stderr, exit code 2 for bad',
    'input and 1 for failures at run time.',
  )
}

export function commandHelp(command: Command): string {
  const ownFlags = optionsHelp(command.flags)
  const args = command.arguments ?? []
  const parts = [
    `Usage: parley ${synopsis(command)}${ownFlags.length > 0 || command.usesConfig ? ' [options]' : ''}`,
    '',
    command.summary,
    '',
    command.description,
  ]
  if (args.length > 0) {
    parts.push('', 'Arguments:', ...args.flatMap((arg) => [`  <${arg.name}>`, `      ${arg.description}`]))
  }
  if (ownFlags.length > 0) parts.push('', 'Options:', ...ownFlags)
  if (command.usesConfig) {
    parts.push(
      '',
      'Configuration options:',
      ...optionsHelp({ [CONFIG_FILE_FLAG]: CONFIG_FILE_OPTION }, () => CONFIG_FILE_ENV),
      ...optionsHelp(configSchema, envName),
      '',
      PRECEDENCE,
    )
  }
  parts.push('', '  -h, --help', '      Show this help and exit.')
  return lines(...parts)
}

function lines(...text: string[]): string {
  return `${text.join('\n')}\n`
}
