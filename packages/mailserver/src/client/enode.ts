import { InvalidConfigError } from '@parley/interfaces'

export interface EnodeAddress {
  enode: string
  /** 128 hex digits, lowercase */
  id: string
  host: string
  port: number
}

/** `enode://<128 hex>@host:port[?discport=n]`; throws `InvalidConfigError` otherwise. */
export function parseEnode(enode: string): EnodeAddress {
  const match =
    /^enode:\/\/([0-9a-fA-F]{128})@(\[[0-9a-fA-F:.]+\]|[^:/?@[\]]+):(\d{1,5})(?:\?discport=\d{1,5})?$/.exec(
      enode,
    )
  const port = Number(match?.[3])
  if (match === null || port < 1 || port > 65_535) {
    throw new InvalidConfigError(`not an enode URL: ${JSON.stringify(enode)}`)
  }
  return { enode, id: match[1]!.toLowerCase(), host: match[2]!.replace(/^\[|\]$/g, ''), port }
}
