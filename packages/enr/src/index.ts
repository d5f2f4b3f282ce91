export { fromBase64url, toBase64url } from './base64url.ts'
export { type EnodeUrl, enodeFromEnr, formatEnode, parseEnode } from './enode.ts'
export { addressEntries, type EnrAddresses, enrAddresses, enrPort } from './fields.ts'
export { formatIp, parseIp } from './ip.ts'
export { multiaddrFromBytes, multiaddrToBytes } from './multiaddr.ts'
export {
  binaryString,
  decodeEnr,
  decodeEnrContent,
  ENR_MAX_SIZE,
  type Enr,
  type EnrContent,
  type EnrInit,
  encodeEnr,
  enrToText,
  nodeIdOf,
  signEnr,
} from './record.ts'
export {
  decodeRs,
  decodeRsv,
  decodeWaku2,
  decodeWakuMultiaddrs,
  encodeRs,
  encodeRsv,
  encodeWaku2,
  encodeWakuMultiaddrs,
  enrWakuFields,
  libp2pPeerId,
  MAX_SHARD_INDEX,
  type RelayShards,
  RS_MAX_SHARDS,
  shardsEntry,
  WAKU2_CAPABILITY_BITS,
  type Waku2Capability,
} from './waku.ts'
