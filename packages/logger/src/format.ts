import { REDACTED, redactText } from './redact.ts'
import { type Plain, renderPlain, sanitize } from './sanitize.ts'
import { isSecret } from './secret.ts'

export interface FormattedEntry {
  /** the interpolated, redacted message */
  message: string
  /** structured fields: trailing plain-object arguments (and `err` for trailing errors), sanitized */
  fields: Record<string, Plain>
}

const PLACEHOLDER = /%([sdifjoOc%])/g

/**
 * printf-style formatting as `debug` and `util.format` do it (`%s %d %i %f %j %o %O %c %%`), except
 * that every value is sanitized first and the result is scanned for secrets. Arguments left over
 * after the placeholders become fields when they are plain objects or errors, and are appended to
 * the message otherwise.
 */
export function formatEntry(template: unknown, args: readonly unknown[]): FormattedEntry {
  if (typeof template !== 'string')
    return formatEntry(isPlainObject(template) ? '' : '%s', [template, ...args])
  let next = 0
  let message = template.replace(PLACEHOLDER, (placeholder, kind: string) => {
    if (kind === '%') return '%'
    if (next >= args.length) return placeholder
    const arg = args[next++]
    return kind === 'c' ? '' : interpolate(kind, arg)
  })
  const fields: Record<string, Plain> = {}
  let errors = 0
  for (const arg of args.slice(next)) {
    if (isPlainObject(arg)) {
      Object.assign(fields, sanitize(arg))
    } else if (arg instanceof Error) {
      errors += 1
      fields[errors === 1 ? 'err' : `err${errors}`] = sanitize(arg)
    } else {
      message += `${message === '' ? '' : ' '}${interpolate('s', arg)}`
    }
  }
  return { message: redactText(message), fields }
}

function interpolate(kind: string, arg: unknown): string {
  if (isSecret(arg)) return REDACTED
  switch (kind) {
    case 'd':
    case 'i':
    case 'f':
      return formatNumber(kind, arg)
    case 'j':
    case 'o':
    case 'O':
      return JSON.stringify(sanitize(arg)) ?? 'undefined'
    default:
      if (arg instanceof Error) return describeError(arg)
      return arg === undefined ? 'undefined' : renderPlain(sanitize(arg))
  }
}

function formatNumber(kind: string, arg: unknown): string {
  if (typeof arg === 'bigint') return arg.toString()
  if (typeof arg === 'object' && arg !== null) return 'NaN'
  const value = Number(arg)
  if (kind === 'i') return String(Math.trunc(value))
  return String(value)
}

/** `Name[code]: message`, the way `%s` prints an error. */
function describeError(error: Error): string {
  const code = (error as { code?: unknown }).code
  return `${error.name}${typeof code === 'string' ? `[${code}]` : ''}: ${redactText(error.message)}`
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false
  const prototype = Object.getPrototypeOf(value)
  return prototype === Object.prototype || prototype === null
}
