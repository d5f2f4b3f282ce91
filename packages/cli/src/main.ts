/**
 * `parley <command> [options]`. Each command declares its flags; commands that run a node also
 * accept every configuration option (src/config/schema.ts) and `--config-file`.
 */
import { InvalidParametersError } from '@parley/interfaces'
import { parseArgs } from './args.ts'
import type { Command } from './commands/command.ts'
import { commandHelp, rootHelp } from './commands/help.ts'
import { COMMAND_FLAGS, commands, findCommand, ROOT_FLAGS } from './commands/index.ts'
import { parseFlags } from './config/flags.ts'
import { CONFIG_FILE_FLAG, CONFIG_FILE_OPTION, loadConfig } from './config/load.ts'
import type { Schema } from './config/options.ts'
import { configPresets } from './config/presets.ts'
import { configReplacements, configSchema } from './config/schema.ts'
import { EXIT_OK, EXIT_USAGE, exitCodeFor, reasonOf } from './errors.ts'
import { type CliIo, processIo, writeLine } from './io.ts'
import { cliVersion } from './version.ts'

export type { CliIo, TextSink } from './io.ts'

/** Runs the CLI and resolves with the process exit code; it never throws. */
export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  try {
    return await dispatch(argv, io)
  } catch (error) {
    writeLine(io.stderr, `parley: ${reasonOf(error)}`)
    return exitCodeFor(error)
  }
}

async function dispatch(argv: readonly string[], io: CliIo): Promise<number> {
  const first = argv[0]
  if (first === undefined) {
    io.stderr.write(rootHelp(commands))
    return EXIT_USAGE
  }
  if (first.startsWith('-')) {
    const { flags, positionals } = parseArgs(argv, ROOT_FLAGS)
    if (positionals.length > 0)
      throw new InvalidParametersError('put the command first: parley <command> [options]')
    if (flags.has('version')) writeLine(io.stdout, `parley ${cliVersion()}`)
    else io.stdout.write(rootHelp(commands))
    return EXIT_OK
  }
  if (first === 'help') return help(argv.slice(1), io)

  const { command, rest } = findCommand(argv)
  const known: Schema = {
    ...COMMAND_FLAGS,
    ...command.flags,
    ...(command.usesConfig ? { [CONFIG_FILE_FLAG]: CONFIG_FILE_OPTION, ...configSchema } : {}),
  }
  const { flags, positionals } = parseArgs(rest, known, command.usesConfig ? configReplacements : {})
  if (flags.has('help')) {
    io.stdout.write(commandHelp(command))
    return EXIT_OK
  }
  const args = commandArguments(command, positionals)

  const pick = (schema: Schema) => new Map([...flags].filter(([key]) => Object.hasOwn(schema, key)))
  const config = command.usesConfig
    ? await loadConfig(configSchema, {
        flags: pick(configSchema),
        env: io.env,
        configFile: flags.get(CONFIG_FILE_FLAG)?.at(-1),
        replaced: configReplacements,
        presets: configPresets,
      })
    : undefined

  const stop = stopSignal(io)
  try {
    return await command.run({
      io,
      flags: parseFlags(command.flags, pick(command.flags)),
      args,
      config,
      signal: stop.signal,
    })
  } finally {
    stop.dispose()
  }
}

/** The positional arguments, checked against the count the command declares. */
function commandArguments(command: Command, positionals: readonly string[]): string[] {
  const declared = command.arguments ?? []
  if (positionals.length > declared.length) {
    const extra = positionals[declared.length]
    throw new InvalidParametersError(
      declared.length === 0
        ? `parley ${command.name} takes no argument "${extra}"`
        : `parley ${command.name} takes ${declared.length} argument${declared.length > 1 ? 's' : ''}; "${extra}" is one too many`,
    )
  }
  const missing = declared[positionals.length]
  if (missing !== undefined) {
    throw new InvalidParametersError(`parley ${command.name} needs <${missing.name}>: ${missing.description}`)
  }
  return [...positionals]
}

function help(words: readonly string[], io: CliIo): number {
  if (words.length === 0) {
    io.stdout.write(rootHelp(commands))
    return EXIT_OK
  }
  io.stdout.write(commandHelp(findCommand(words).command))
  return EXIT_OK
}

/** The caller's signal, or one that SIGINT/SIGTERM abort; `dispose` removes the handlers. */
function stopSignal(io: CliIo): { signal: AbortSignal; dispose(): void } {
  if (io.signal !== undefined) return { signal: io.signal, dispose() {} }
  const controller = new AbortController()
  const onSignal = () => controller.abort()
  process.once('SIGINT', onSignal)
  process.once('SIGTERM', onSignal)
  return {
    signal: controller.signal,
    dispose() {
      process.off('SIGINT', onSignal)
      process.off('SIGTERM', onSignal)
    },
  }
}
