import type { Capability } from './capability.ts'
import type { ParleyEvents, TypedEventTarget } from './events.ts'
import type { ComponentLogger } from './logger.ts'
import type { Metrics } from './metrics.ts'

/**
 * What the node hands a plugin's `create`. Plugins should not keep this object: each declares a
 * module-local `XyzComponents` interface listing exactly what it uses and picks those out here.
 */
export interface Components {
  /** The node's name, for log namespaces and metric labels. */
  readonly nodeName: string
  readonly logger: ComponentLogger
  readonly metrics: Metrics
  readonly events: TypedEventTarget<ParleyEvents>
  /** The service of the (first) plugin providing `capability`; throws `MissingCapabilityError`. */
  get<T>(capability: Capability<T>): T
  /** The services of every plugin providing `capability`, in registration order. */
  getAll<T>(capability: Capability<T>): T[]
  has(capability: Capability): boolean
}

/**
 * A plugin descriptor, returned by a package's one factory (`whisper(init)`).
 *
 * - `provides`: capabilities the created service implements.
 * - `needs`: capabilities that must be provided by another plugin; the node refuses to start
 *   otherwise, and starts the providers first.
 * - `wants`: optional capabilities; when present their providers start first.
 * - `create`: builds the service synchronously; I/O belongs in `start`.
 */
export interface Plugin<Service = unknown> {
  readonly name: string
  readonly provides?: readonly Capability[]
  readonly needs?: readonly Capability[]
  readonly wants?: readonly Capability[]
  create(components: Components): Service
}
