// Unpadded base64url is @parley/enr's (ENR text uses it too); these names stay for callers.
export { fromBase64url as base64urlDecode, toBase64url as base64urlEncode } from '@parley/enr'
export { base32Decode, base32Encode } from './base32.ts'
export {
  type DnsQuery,
  type DnsQuestion,
  type DnsResponseInit,
  decodeQuery,
  encodeQuery,
  encodeResponse,
  MAX_UDP_MESSAGE,
  txtResponseSize,
} from './dns-message.ts'
export {
  BRANCH_PREFIX,
  type BranchEntry,
  ENR_PREFIX,
  type EnrEntry,
  entryHash,
  formatBranch,
  formatEnrtreeUrl,
  formatEntry,
  formatRoot,
  HASH_ABBREV,
  isValidHash,
  LINK_PREFIX,
  type LinkEntry,
  MAX_HASH_BYTES,
  MIN_HASH_BYTES,
  parseEnrtreeUrl,
  parseEntry,
  parseRoot,
  ROOT_PREFIX,
  type RootEntry,
  rootSigningText,
  type TreeEntry,
} from './entries.ts'
export {
  DnsLookupError,
  EntryDecodeError,
  type EntryErrorReason,
  type EntryKind,
  type LookupErrorReason,
  type TreeErrorReason,
  TreeVerificationError,
} from './errors.ts'
export { type NodeResolverOptions, nodeResolveTxt, type ResolveTxt } from './node-resolver.ts'
export { discoveredPeer, discoveryEvent } from './plugin/peer.ts'
export {
  DEFAULT_CACHE_SIZE,
  DEFAULT_LOOKUP_TIMEOUT_MS,
  DEFAULT_REFRESH_INTERVAL_MS,
  DnsDiscovery,
  type DnsDiscoveryInit,
  dnsDiscovery,
} from './plugin.ts'
export { DnsTreeClient, type DnsTreeClientInit, type RootUpdate, type SyncedTree } from './resolver.ts'
export { answerQuery, type DnsTreeServer, type ServeTreeOptions, serveTree } from './server.ts'
export { countingResolveTxt, discoveryBytesCounter, dnsQuerySize, txtAnswerSize } from './traffic.ts'
export { buildTree, MAX_CHILDREN, type SignedTree, type TreeInit, verifyRoot } from './tree.ts'
