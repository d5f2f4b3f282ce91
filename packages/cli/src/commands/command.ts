import type { LoadedConfig } from '../config/load.ts'
import type { ConfigOf, Schema } from '../config/options.ts'
import type { configSchema } from '../config/schema.ts'
import type { CliIo } from '../io.ts'

export interface CommandContext<F extends Schema = Schema> {
  io: CliIo
  /** the command's own flags, typed */
  flags: ConfigOf<F>
  /** the positional arguments, as many as the command declares */
  args: readonly string[]
  /** the node configuration, for commands with `usesConfig` */
  config: LoadedConfig<typeof configSchema> | undefined
  /** ends long-running work: aborted on SIGINT/SIGTERM or by the caller's `io.signal` */
  signal: AbortSignal
}

export interface CommandArgument {
  /** shown as `<name>` in usage lines */
  readonly name: string
  /** one sentence for `--help` */
  readonly description: string
}

export interface Command<F extends Schema = Schema> {
  /** words after `parley`: `start`, `key generate` */
  readonly name: string
  /** one line for the command list */
  readonly summary: string
  /** paragraphs for `parley <command> --help` */
  readonly description: string
  /** flags of this command alone */
  readonly flags: F
  /** required positional arguments, in order: `parley topic <name>` */
  readonly arguments?: readonly CommandArgument[]
  /** accepts the node configuration options and `--config-file` */
  readonly usesConfig: boolean
  run(context: CommandContext<F>): Promise<number>
}

/** Keeps the flag schema's types while erasing them for the registry. */
export function defineCommand<F extends Schema>(command: Command<F>): Command {
  return command as unknown as Command
}

/** The node configuration of a `usesConfig` command (`main` always loads it for those). */
export function requireConfig(context: Pick<CommandContext, 'config'>): LoadedConfig<typeof configSchema> {
  if (context.config === undefined) throw new TypeError('this command was declared without usesConfig')
  return context.config
}
