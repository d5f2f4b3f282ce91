const SECRET_BRAND = Symbol.for('parley:secret')
const REDACTED = '[redacted]'

/**
 * A value that must never be logged. The logger prints it as `[redacted]`, and so do `String()`,
 * `JSON.stringify` and Node's `util.inspect`; only `reveal()` gives the value back.
 */
export class Secret<T = unknown> {
  readonly #value: T
  readonly [SECRET_BRAND] = true

  constructor(value: T) {
    this.#value = value
  }

  reveal(): T {
    return this.#value
  }

  toString(): string {
    return REDACTED
  }

  toJSON(): string {
    return REDACTED
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return REDACTED
  }
}

/** Wraps `value` so that loggers print `[redacted]` in its place. */
export function secret<T>(value: T): Secret<T> {
  return new Secret(value)
}

/** True for values made by `secret()`, also across two copies of this package (the brand is `Symbol.for`). */
export function isSecret(value: unknown): value is Secret {
  return (
    typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[SECRET_BRAND] === true
  )
}
