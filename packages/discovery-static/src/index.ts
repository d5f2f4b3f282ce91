export { parseStaticEntries, type StaticEntries } from './entries.ts'
export {
  StaticPeerDiscovery,
  type StaticPeersComponents,
  type StaticPeersInit,
  staticPeers,
} from './static-discovery.ts'
