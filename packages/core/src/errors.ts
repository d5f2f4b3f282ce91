import { ParleyError } from '@parley/interfaces'

/**
 * One or more plugins threw while stopping. The node still stopped every other plugin and is
 * `stopped`; `errors[i]` is what `plugins[i]` threw. (Candidate for `@parley/interfaces`.)
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
