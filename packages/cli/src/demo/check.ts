import type { ComponentLogger } from '@parley/interfaces'
import type { ParleyConfig } from '../config/schema.ts'

/** What every demo check gets: the resolved configuration and a logger for the nodes it composes. */
export interface DemoContext {
  readonly config: ParleyConfig
  readonly logger: ComponentLogger
}

/**
 * One scripted check. `run` throws (or rejects) to fail; it may resolve with a short `detail` for
 * the report, such as the provider it exercised. It must release everything it opened, even when
 * `signal` aborts it (the runner aborts a check that exceeds its timeout).
 */
export interface DemoCheck {
  /** `<group>.<what>`, unique: `core.compose`, `crypto.pow` */
  readonly name: string
  run(context: DemoContext, signal: AbortSignal): Promise<string | undefined>
}

/** Throws an `Error` with `message` unless `condition` holds; checks read like a script. */
export function expectThat(condition: boolean, message: string): asserts condition {
  if (!condition) throw new Error(message)
}
