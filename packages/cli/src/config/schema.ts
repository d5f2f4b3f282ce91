/**
 * Every node configuration option, declared once. Keys are nwaku-style kebab-case names; the same
 * key is the flag (`--log-level`), the TOML key (`log-level = "debug"`) and, upper-snake-cased with a
 * `PARLEY_` prefix, the environment variable (`PARLEY_LOG_LEVEL`).
 *
 * Add an option only together with the code that reads it.
 */
import {
  choicesProblem,
  enodeProblem,
  firstBad,
  ipProblem,
  nameServerProblem,
  originProblem,
  PRIVATE_KEY_HEX,
  peerAddressProblem,
} from './checks.ts'
import {
  boolOption,
  type ConfigOf,
  enumOption,
  intOption,
  listOption,
  numberOption,
  stringOption,
} from './options.ts'
import { PRESET_NAMES } from './presets.ts'
import { parseRetention } from './retention.ts'
import { discoverySchema } from './schema-discovery.ts'
import { waku2Schema } from './schema-waku2.ts'
import type { Replacements } from './suggest.ts'

export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'silent'] as const
export const SECP256K1_PROVIDERS = ['auto', 'native', 'wasm', 'js'] as const
/** Envelope protocols a node runs on its devp2p host. */
export const DEVP2P_PROTOCOLS = ['whisper', 'waku1'] as const
export type Devp2pProtocolName = (typeof DEVP2P_PROTOCOLS)[number]
/** Every `protocol` value: the devp2p ones and Waku v2 on libp2p. */
export const PROTOCOLS = [...DEVP2P_PROTOCOLS, 'waku2'] as const

export const configSchema = {
  preset: stringOption({
    placeholder: PRESET_NAMES.join('|'),
    description:
      'Defaults for a node role; every other source still overrides them. `bridge`: `protocol = ["whisper", "waku1", "waku2"]`, `bridge`, `relay` and `store` (add `mailserver` and a lasting `store-message-db-url` to also serve v1 history).',
    check: (value) => choicesProblem([value], PRESET_NAMES),
  }),
  name: stringOption({
    default: 'parley',
    description: 'Name of the node. It appears in log namespaces and metric labels.',
    check: (value) =>
      /^[A-Za-z0-9._-]{1,64}$/.test(value) ? undefined : 'expected 1-64 of A-Z a-z 0-9 . _ -',
  }),
  'log-level': enumOption({
    values: LOG_LEVELS,
    default: 'info',
    description:
      'Lowest level of log lines written to standard error. The DEBUG environment variable still enables namespaces (`DEBUG=parley:whisper*`).',
  }),
  'log-format': enumOption({
    values: ['text', 'json'],
    default: 'text',
    description: 'Log line format: `text` for people, `json` for one JSON object per line.',
  }),
  'data-dir': stringOption({
    placeholder: 'path',
    description:
      'Directory for state that outlives a run: without `nodekey`, the node key is read from `<data-dir>/nodekey`, or generated and saved there (mode 0600) on the first run, as geth does. When unset, nothing is written.',
  }),
  nodekey: stringOption({
    placeholder: 'hex',
    secret: true,
    description:
      'secp256k1 private key (32 bytes, hex) that fixes the node id; it wins over `<data-dir>/nodekey`. Without either, `start` generates a new one each run; create one with `parley key generate`.',
    check: (value) => (PRIVATE_KEY_HEX.test(value) ? undefined : 'expected 64 hex digits'),
  }),
  'secp256k1-provider': enumOption({
    values: SECP256K1_PROVIDERS,
    default: 'auto',
    description:
      'secp256k1 implementation: `native` (N-API binding), `wasm`, `js`, or `auto` for the fastest one that loads.',
  }),
  'metrics-server': boolOption({
    default: false,
    description: 'Serve Prometheus metrics over HTTP.',
  }),
  'metrics-server-address': stringOption({
    default: '127.0.0.1',
    placeholder: 'ip',
    description:
      'Address the metrics server listens on. Use `0.0.0.0` to allow scraping from other machines.',
  }),
  'metrics-server-port': intOption({
    default: 8008,
    min: 0,
    max: 65535,
    description: 'Port of the metrics server; `0` picks a free one.',
  }),
  'store-message-db-url': stringOption({
    default: 'memory://',
    placeholder: 'url',
    description:
      'Where the message archive lives: `sqlite://<path>` (node:sqlite, WAL), `postgres://user:password@host/db`, `level://<directory>` (LevelDB, also a status-go mailserver database) or `memory://` (lost on exit).',
  }),
  protocol: listOption({
    default: [],
    placeholder: 'whisper|waku1|waku2,…',
    description:
      'Protocols to run. `whisper` (Whisper v6, `shh/6`) and `waku1` (Waku v1, `waku/1`) share one devp2p host on `listen-address`:`devp2p-port`, which dials the enode `staticnode` peers and relays envelopes. `waku2` starts the libp2p host on `listen-address`:`tcp-port` with `relay`, `store`, `filter`, `lightpush` and `peer-exchange` as configured, and dials the multiaddr `staticnode` peers. Without a devp2p protocol no devp2p port is opened.',
    check: (names) => choicesProblem(names, PROTOCOLS),
  }),
  'listen-address': stringOption({
    default: '0.0.0.0',
    placeholder: 'ip',
    description:
      'Address the devp2p and libp2p listeners bind to, and the host in the printed enode URL. `0.0.0.0` (every interface, as geth and nwaku) lets peers on the network connect; use `127.0.0.1` to stay local.',
    check: ipProblem,
  }),
  'devp2p-port': intOption({
    default: 30303,
    min: 0,
    max: 65535,
    description: 'TCP port of the devp2p listener (the devp2p default); `0` picks a free one.',
  }),
  'max-peers': intOption({
    default: 25,
    min: 1,
    max: 1000,
    description:
      "Most devp2p peers, inbound and outbound together. Below geth's 50: Whisper and Waku v1 relay every envelope to every peer.",
  }),
  staticnode: listOption({
    default: [],
    placeholder: 'enode|multiaddr,…',
    description:
      'Peers to dial at start and redial whenever disconnected: enode URLs (`enode://<128 hex>@<host>:<port>`) for devp2p, multiaddrs (`/ip4/…/tcp/…/p2p/<peer id>`) for libp2p. Repeat the flag or separate with commas.',
    check: (addresses) => firstBad(addresses, peerAddressProblem),
  }),
  'dns-discovery-url': listOption({
    default: [],
    placeholder: 'enrtree,…',
    description:
      'EIP-1459 node lists (`enrtree://<key>@<domain>`) to sync: devp2p records feed the peer pool (`peer-pool-topic`), Waku v2 records (those with a `waku2` field) are dialled over libp2p.',
    check: (urls) =>
      firstBad(urls, (url) =>
        /^enrtree:\/\/[A-Z2-7]+@[^\s@]+$/.test(url) ? undefined : 'expected enrtree://<key>@<domain>',
      ),
  }),
  'dns-discovery-name-server': listOption({
    default: [],
    placeholder: 'ip[:port],…',
    description:
      "DNS servers for `dns-discovery-url` lookups, `ip` or `ip:port`; the system's resolvers when empty.",
    check: (servers) => firstBad(servers, nameServerProblem),
  }),
  'min-pow': numberOption({
    default: 0.002,
    min: 0,
    description:
      "Proof of work required of peers' envelopes and used for our own, for every protocol. `0.002` is what Status clients post with and what Status's Waku v1 fleet requires, so their traffic passes; geth's `0.2` would drop all of it, and status-go's accept-all `0.000002` lets nearly free spam through.",
  }),
  'light-node': boolOption({
    default: false,
    description:
      "Announce a light node and relay only our own envelopes, never other peers' (Whisper's and Waku v1's light mode).",
  }),
  rpc: boolOption({
    default: false,
    description:
      "Serve the JSON-RPC API over HTTP (geth's `shh_*` for Whisper, status-go's `waku_*` for Waku v1, and `admin_*` peers) on `rpc-address`:`rpc-port`.",
  }),
  'rpc-address': stringOption({
    default: '127.0.0.1',
    placeholder: 'ip',
    description:
      'Address of the JSON-RPC servers. The API handles keys: expose it beyond 127.0.0.1 only on a trusted network.',
    check: ipProblem,
  }),
  'rpc-port': intOption({
    default: 8545,
    min: 0,
    max: 65535,
    description: "Port of the JSON-RPC HTTP server (geth's 8545); `0` picks a free one.",
  }),
  'ws-rpc-port': intOption({
    min: 0,
    max: 65535,
    description:
      "Port of the JSON-RPC WebSocket server, which also delivers subscriptions (geth's WebSocket port is 8546), on `rpc-address`; the same port as `rpc-port` shares the HTTP server, as geth does, and `0` picks a free one. Unset: no WebSocket server. Needs `rpc`.",
  }),
  'rpc-cors': listOption({
    default: [],
    placeholder: 'origin,…',
    description:
      "Origins browsers may call the JSON-RPC API from, over HTTP and WebSocket (geth's `--http.corsdomain` and `--ws.origins`): `*`, or origins whose scheme and port may be left out (`localhost`, `https://example.org`). Empty: no CORS over HTTP, only localhost over WebSocket.",
    check: (origins) => firstBad(origins, originProblem),
  }),
  mailserver: boolOption({
    default: false,
    description:
      "Serve history (status-go's mailserver) to Whisper and Waku v1 peers that ask with `mailserver-password`, from the archive at `store-message-db-url`. Needs `protocol`.",
  }),
  'mailserver-password': stringOption({
    placeholder: 'text',
    secret: true,
    description:
      'Password of history requests, both those this node serves and those it sends to `mailnode`. Unset: `status-offline-inbox`, the one Status clients use.',
    check: (value) => (value === '' ? 'expected a non-empty password' : undefined),
  }),
  'store-message-retention-policy': stringOption({
    default: 'time:2592000',
    placeholder: 'policy',
    description:
      "How much history the mailserver and the Waku v2 store keep, in nwaku's syntax: `time:<seconds>`, `capacity:<envelopes>`, `size:<n><unit>` (`10GB`, `512MiB`), several joined by `;`, or `none`. The default, 30 days, is the longest gap Status clients fill.",
    check: (value) => {
      const parsed = parseRetention(value)
      return parsed.ok ? undefined : parsed.reason
    },
  }),
  mailnode: listOption({
    default: [],
    placeholder: 'enode,…',
    description:
      'Mailservers to ask for history, as enode URLs: the fastest that answers is used, and another on failure. `parley history` asks them, and so does `wakuext_requestMessages` over `rpc`. Needs `protocol`.',
    check: (urls) => firstBad(urls, enodeProblem),
  }),
  bridge: boolOption({
    default: false,
    description:
      'Carry public-chat traffic between every protocol the node runs (@parley/bridge): Whisper ↔ Waku v1 re-sealed, and either of them ↔ Waku v2 relay on `/waku/1/0x<topic>/rfc26` content topics. Needs two of `whisper`, `waku1` and `waku2` with `relay`.',
  }),
  ...waku2Schema,
  ...discoverySchema,
}

export type ParleyConfig = ConfigOf<typeof configSchema>

/** Keys of earlier versions, answered with their replacement wherever they appear. */
export const configReplacements: Replacements = {
  whisper: { to: 'protocol', value: 'whisper' },
  'whisper-min-pow': { to: 'min-pow' },
  'whisper-light-node': { to: 'light-node' },
}
