import type {
  Libp2pHost,
  WakuFilterClientService,
  WakuFilterService,
  WakuLightpushClientService,
  WakuLightpushService,
  WakuRelayService,
  WakuStoreService,
} from '@parley/interfaces'

/** What the node has; each route group answers 404 for what is absent. */
export interface RestServices {
  host: Libp2pHost | undefined
  relay: WakuRelayService | undefined
  store: WakuStoreService | undefined
  filter: WakuFilterService | undefined
  filterClient: WakuFilterClientService | undefined
  lightpush: WakuLightpushService | undefined
  lightpushClient: WakuLightpushClientService | undefined
}

/** Settings the route groups share (see `RestApiInit`). */
export interface RouteSettings {
  version: string
  enr: () => string | undefined
  cacheCapacity: number
  maxCachedTopics: number
  requestTimeoutMs: number
  storePeer: string | undefined
  filterPeer: string | undefined
  lightpushPeer: string | undefined
}
