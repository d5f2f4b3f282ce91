import { InvalidParametersError } from '@parley/interfaces'
import { boolOption, type Schema } from '../config/options.ts'
import { closest } from '../config/suggest.ts'
import { benchCommands } from './bench.ts'
import { chatCommand } from './chat.ts'
import type { Command } from './command.ts'
import { demoCommand } from './demo.ts'
import { dnsCommands } from './dns.ts'
import { dnsResolveCommand } from './dns-resolve.ts'
import { dumpconfigCommand } from './dumpconfig.ts'
import { enrCommands } from './enr.ts'
import { envelopeInspectCommand } from './envelope.ts'
import { historyCommand } from './history.ts'
import { keyGenerateCommand } from './key.ts'
import { powSealCommand } from './pow.ts'
import { startCommand } from './start.ts'
import { topicCommand } from './topic.ts'

/** Every command, in the order `--help` lists them. */
export const commands: readonly Command[] = [
  startCommand,
  chatCommand,
  historyCommand,
  demoCommand,
  dumpconfigCommand,
  keyGenerateCommand,
  topicCommand,
  envelopeInspectCommand,
  powSealCommand,
  ...enrCommands,
  ...dnsCommands,
  dnsResolveCommand,
  ...benchCommands,
]

/** Flags before any command: `parley --help`, `parley --version`. */
export const ROOT_FLAGS = {
  help: boolOption({ default: false, description: 'Show help and exit.' }),
  version: boolOption({ default: false, description: 'Print the version and exit.' }),
} satisfies Schema

/** Flags every command accepts. */
export const COMMAND_FLAGS = {
  help: ROOT_FLAGS.help,
} satisfies Schema

/** The command named by the leading words of `argv` (`key generate`), and the arguments after it. */
export function findCommand(argv: readonly string[]): { command: Command; rest: readonly string[] } {
  let best: Command | undefined
  for (const command of commands) {
    const words = command.name.split(' ')
    const matches = words.every((word, index) => argv[index] === word)
    if (matches && words.length > (best?.name.split(' ').length ?? 0)) best = command
  }
  if (best !== undefined) return { command: best, rest: argv.slice(best.name.split(' ').length) }

  const first = argv[0] ?? ''
  const group = commands.filter((command) => command.name.startsWith(`${first} `))
  if (group.length > 0) {
    const names = group.map((command) => command.name.slice(first.length + 1))
    const given = argv[1] === undefined ? '' : ` "${argv[1]}"`
    throw new InvalidParametersError(
      `parley ${first} needs a subcommand${given === '' ? '' : `, not${given}`}: ${names.join(', ')}`,
    )
  }
  const firstWords = [...new Set(commands.map((command) => command.name.split(' ')[0] ?? ''))]
  const suggestion = closest(first, [...firstWords, 'help'])
  throw new InvalidParametersError(
    `unknown command "${first}"${suggestion === undefined ? '' : ` (did you mean ${suggestion}?)`}; see parley --help`,
  )
}
