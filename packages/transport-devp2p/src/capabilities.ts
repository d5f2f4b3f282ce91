/**
 * Capability negotiation, as go-ethereum's matchProtocols does it: a capability is shared when
 * both sides list the same name and version; for a name shared in several versions the highest
 * wins. Shared capabilities are ordered by name and take consecutive message-id ranges from 0x10,
 * each as wide as its `length`.
 *
 * With Whisper and Waku (128 ids each) both shared, `shh/6` gets 0x10..0x8f and `waku/1`
 * 0x90..0x10f: ids past 127 are ordinary, and the frame layer carries them as RLP integers.
 */
import { InvalidParametersError } from '@parley/interfaces'
import { BASE_PROTOCOL_LENGTH, type CapabilityName } from './p2p/messages.ts'

export interface LocalCapability extends CapabilityName {
  /** message ids the capability reserves */
  length: number
}

export interface SharedCapability extends LocalCapability {
  /** the first absolute message id of this capability */
  offset: number
}

export function matchCapabilities(
  local: readonly LocalCapability[],
  remote: readonly CapabilityName[],
): SharedCapability[] {
  for (const cap of local)
    if (!Number.isSafeInteger(cap.length) || cap.length < 1)
      throw new InvalidParametersError(`capability ${cap.name}/${cap.version} needs a positive length`)
  const best = new Map<string, LocalCapability>()
  for (const theirs of remote) {
    const ours = local.find((cap) => cap.name === theirs.name && cap.version === theirs.version)
    if (ours === undefined) continue
    const previous = best.get(ours.name)
    if (previous === undefined || ours.version > previous.version) best.set(ours.name, ours)
  }
  let offset = BASE_PROTOCOL_LENGTH
  return [...best.values()]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((cap) => {
      const shared = { name: cap.name, version: cap.version, length: cap.length, offset }
      offset += cap.length
      return shared
    })
}

/** Which shared capability an absolute message id belongs to, and its id within it. */
export function resolveMessageCode(
  shared: readonly SharedCapability[],
  code: number,
): { capability: SharedCapability; code: number } | undefined {
  for (const capability of shared)
    if (code >= capability.offset && code < capability.offset + capability.length)
      return { capability, code: code - capability.offset }
  return undefined
}

/** The absolute message id of `code` within `capability`; throws if it is out of its range. */
export function absoluteMessageCode(capability: SharedCapability, code: number): number {
  if (!Number.isSafeInteger(code) || code < 0 || code >= capability.length)
    throw new InvalidParametersError(
      `message code ${code} is outside ${capability.name}/${capability.version}'s ${capability.length} codes`,
    )
  return capability.offset + code
}
