import { TypedEventEmitter, type TypedEventEmitterOptions, type TypedEventTarget } from '@parley/interfaces'

/** The node's event bus is the shared emitter from `@parley/interfaces`; these names stay for callers. */
export { TypedEventEmitter as EventBus, type TypedEventEmitterOptions as EventBusOptions }

/** A typed, listener-safe event target. */
export function createEventBus<EventMap extends object>(
  options?: TypedEventEmitterOptions,
): TypedEventTarget<EventMap> {
  return new TypedEventEmitter<EventMap>(options)
}
