/**
 * A component-scoped logger. Namespaces follow the DEBUG convention (`parley:whisper:peer`), and
 * implementations must redact secrets (private and symmetric keys, passwords, mnemonics) whatever
 * the caller passes.
 */
export interface Logger {
  (message: string, ...args: unknown[]): void
  trace(message: string, ...args: unknown[]): void
  debug(message: string, ...args: unknown[]): void
  info(message: string, ...args: unknown[]): void
  warn(message: string, ...args: unknown[]): void
  error(message: string, ...args: unknown[]): void
  /** True when messages at `debug` level would be written for this namespace. */
  readonly enabled: boolean
  readonly namespace: string
  /** A logger for a sub-component: `parley:whisper` → `parley:whisper:peer`. */
  child(name: string): Logger
}

export interface ComponentLogger {
  forComponent(name: string): Logger
}
