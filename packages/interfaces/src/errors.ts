/**
 * Error classes with a stable `name` and `code`. Callers branch on `code` (or `instanceof`), never on
 * the message text. Names are string literals so that minifiers cannot change them.
 */
export interface ParleyErrorOptions {
  cause?: unknown
}

export class ParleyError extends Error {
  static readonly code: string = 'ERR_PARLEY'
  readonly code: string

  constructor(message: string, code = 'ERR_PARLEY', options: ParleyErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'ParleyError'
    this.code = code
  }
}

/** An operation was cancelled through its `AbortSignal`. */
export class AbortError extends ParleyError {
  static override readonly code = 'ERR_ABORTED'
  constructor(message = 'The operation was aborted', options?: ParleyErrorOptions) {
    super(message, AbortError.code, options)
    this.name = 'AbortError'
  }
}

/** An operation did not finish in time. */
export class TimeoutError extends ParleyError {
  static override readonly code = 'ERR_TIMEOUT'
  constructor(message = 'The operation timed out', options?: ParleyErrorOptions) {
    super(message, TimeoutError.code, options)
    this.name = 'TimeoutError'
  }
}

/** A caller passed arguments that can never succeed. */
export class InvalidParametersError extends ParleyError {
  static override readonly code = 'ERR_INVALID_PARAMETERS'
  constructor(message: string, options?: ParleyErrorOptions) {
    super(message, InvalidParametersError.code, options)
    this.name = 'InvalidParametersError'
  }
}

/** Configuration is malformed or names something unknown. */
export class InvalidConfigError extends ParleyError {
  static override readonly code = 'ERR_INVALID_CONFIG'
  constructor(message: string, options?: ParleyErrorOptions) {
    super(message, InvalidConfigError.code, options)
    this.name = 'InvalidConfigError'
  }
}

/** Bytes from the network or disk do not decode. Never fatal to a node. */
export class DecodeError extends ParleyError {
  static override readonly code = 'ERR_DECODE'
  constructor(message: string, options?: ParleyErrorOptions) {
    super(message, DecodeError.code, options)
    this.name = 'DecodeError'
  }
}

/** A signature, MAC or key failed verification. */
export class VerificationError extends ParleyError {
  static override readonly code = 'ERR_VERIFICATION'
  constructor(message: string, options?: ParleyErrorOptions) {
    super(message, VerificationError.code, options)
    this.name = 'VerificationError'
  }
}

/** A service was used before `start` or after `stop`. */
export class NotStartedError extends ParleyError {
  static override readonly code = 'ERR_NOT_STARTED'
  constructor(message = 'The service is not started', options?: ParleyErrorOptions) {
    super(message, NotStartedError.code, options)
    this.name = 'NotStartedError'
  }
}

/** A plugin needs a capability that no plugin in the node provides. */
export class MissingCapabilityError extends ParleyError {
  static override readonly code = 'ERR_MISSING_CAPABILITY'
  readonly plugin: string
  readonly capability: string

  constructor(plugin: string, capability: string) {
    super(
      `Plugin "${plugin}" needs capability "${capability}", but no plugin in this node provides it`,
      MissingCapabilityError.code,
    )
    this.name = 'MissingCapabilityError'
    this.plugin = plugin
    this.capability = capability
  }
}

/** Plugins depend on each other in a cycle, so there is no start order. */
export class DependencyCycleError extends ParleyError {
  static override readonly code = 'ERR_DEPENDENCY_CYCLE'
  readonly plugins: readonly string[]

  constructor(plugins: readonly string[]) {
    super(`Plugins depend on each other in a cycle: ${plugins.join(' -> ')}`, DependencyCycleError.code)
    this.name = 'DependencyCycleError'
    this.plugins = plugins
  }
}

/** Two plugins share a name; names identify plugins in logs, metrics and errors, so they must be unique. */
export class DuplicatePluginError extends ParleyError {
  static override readonly code = 'ERR_DUPLICATE_PLUGIN'
  constructor(plugin: string) {
    super(`Two plugins are named "${plugin}"; plugin names must be unique`, DuplicatePluginError.code)
    this.name = 'DuplicatePluginError'
  }
}

/** A plugin threw while starting; `cause` holds what it threw. */
export class PluginStartError extends ParleyError {
  static override readonly code = 'ERR_PLUGIN_START'
  readonly plugin: string

  constructor(plugin: string, options?: ParleyErrorOptions) {
    const reason = options?.cause instanceof Error ? `: ${options.cause.message}` : ''
    super(`Plugin "${plugin}" failed to start${reason}`, PluginStartError.code, options)
    this.name = 'PluginStartError'
    this.plugin = plugin
  }
}

/**
 * One or more plugins threw while stopping. The node still stopped every other plugin and is
 * `stopped`; `errors[i]` is what `plugins[i]` threw.
 */
export class PluginStopError extends ParleyError {
  static override readonly code = 'ERR_PLUGIN_STOP'
  readonly plugins: readonly string[]
  readonly errors: readonly unknown[]

  constructor(failures: ReadonlyArray<{ plugin: string; error: unknown }>) {
    const plugins = failures.map((failure) => failure.plugin)
    super(`Plugins failed to stop: ${plugins.join(', ')}`, PluginStopError.code, {
      cause: failures[0]?.error,
    })
    this.name = 'PluginStopError'
    this.plugins = plugins
    this.errors = failures.map((failure) => failure.error)
  }
}

/** The requested feature or provider is not available in this runtime. */
export class UnsupportedError extends ParleyError {
  static override readonly code = 'ERR_UNSUPPORTED'
  constructor(message: string, options?: ParleyErrorOptions) {
    super(message, UnsupportedError.code, options)
    this.name = 'UnsupportedError'
  }
}

/** A peer or caller exceeded a configured limit (rate, size, count). */
export class LimitExceededError extends ParleyError {
  static override readonly code = 'ERR_LIMIT_EXCEEDED'
  constructor(message: string, options?: ParleyErrorOptions) {
    super(message, LimitExceededError.code, options)
    this.name = 'LimitExceededError'
  }
}

/** A lookup found nothing. */
export class NotFoundError extends ParleyError {
  static override readonly code = 'ERR_NOT_FOUND'
  constructor(message: string, options?: ParleyErrorOptions) {
    super(message, NotFoundError.code, options)
    this.name = 'NotFoundError'
  }
}

/**
 * A write failed because the storage is full (the disk, or a configured quota). The store rolled
 * the write back whole; what was stored before stays intact and readable.
 */
export class StoreFullError extends ParleyError {
  static override readonly code = 'ERR_STORE_FULL'
  constructor(message: string, options?: ParleyErrorOptions) {
    super(message, StoreFullError.code, options)
    this.name = 'StoreFullError'
  }
}

/**
 * A store's data was written by a newer version of its package: its schema (or layout) version is
 * ahead of every migration this code knows, so reading or writing it could corrupt it. The data is
 * left untouched; upgrade the package or open other data.
 */
export class SchemaVersionError extends ParleyError {
  static override readonly code = 'ERR_SCHEMA_VERSION'
  /** the version recorded in the store's data */
  readonly found: number
  /** the newest version this code can migrate to */
  readonly supported: number

  constructor(found: number, supported: number, options?: ParleyErrorOptions) {
    super(
      `Stored schema version ${found} is newer than the newest this code supports (${supported})`,
      SchemaVersionError.code,
      options,
    )
    this.name = 'SchemaVersionError'
    this.found = found
    this.supported = supported
  }
}
