import type { ComponentLogger, Logger } from '@parley/interfaces'
import { formatEntry } from './format.ts'

const REDACTING = Symbol.for('parley:redacting-logger')

/** Marks a component logger whose output is already redacted, so `withRedaction` leaves it alone. */
export function markRedacting<T extends ComponentLogger>(logger: T): T {
  return Object.assign(logger, { [REDACTING]: true })
}

/** True for loggers made by `createLogger` or `withRedaction`. */
export function isRedacting(logger: ComponentLogger): boolean {
  return (logger as unknown as Record<symbol, unknown>)[REDACTING] === true
}

/**
 * Wraps a component logger from elsewhere (pino, winston, a test spy) so that it only ever receives
 * redacted text: each call is formatted and redacted here, then handed on as one message (with
 * `%` escaped) plus, when there are any, one object of sanitized fields.
 */
export function withRedaction(logger: ComponentLogger): ComponentLogger {
  if (isRedacting(logger)) return logger
  return markRedacting({ forComponent: (name: string) => wrap(logger.forComponent(name)) })
}

function wrap(inner: Logger): Logger {
  const method =
    (call: (message: string, ...args: unknown[]) => void) =>
    (message: string, ...args: unknown[]): void => {
      const entry = formatEntry(message, args)
      const text = entry.message.replaceAll('%', '%%')
      if (Object.keys(entry.fields).length === 0) call(text)
      else call(text, entry.fields)
    }
  const logger = Object.assign(
    method((message, ...args) => inner(message, ...args)),
    {
      trace: method((message, ...args) => inner.trace(message, ...args)),
      debug: method((message, ...args) => inner.debug(message, ...args)),
      info: method((message, ...args) => inner.info(message, ...args)),
      warn: method((message, ...args) => inner.warn(message, ...args)),
      error: method((message, ...args) => inner.error(message, ...args)),
      child: (name: string) => wrap(inner.child(name)),
    },
  )
  // Live views: the inner logger may change its enablement at run time.
  return Object.defineProperties(logger, {
    enabled: { get: () => inner.enabled, enumerable: true },
    namespace: { get: () => inner.namespace, enumerable: true },
  }) as Logger
}
