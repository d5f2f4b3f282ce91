declare const serviceType: unique symbol

/**
 * A capability token: a symbol that also carries, at the type level, the interface its provider
 * implements, so `components.get(devp2pHost)` is typed as `Devp2pHost`.
 */
export type Capability<Service = unknown> = symbol & { readonly [serviceType]?: Service }

/**
 * Creates (or finds) the capability token for `name`. Tokens are registered with `Symbol.for`, so
 * two copies of this package in one process still agree on them.
 */
export function capability<Service>(name: string): Capability<Service> {
  return Symbol.for(`parley:${name}`) as Capability<Service>
}

/** The readable name of a capability token (`devp2p-host`). */
export function capabilityName(token: Capability): string {
  return (token.description ?? 'unknown').replace(/^parley:/, '')
}
