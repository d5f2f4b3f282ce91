/**
 * Waku v2 options, in nwaku's names and with nwaku's defaults. They take effect with
 * `protocol = ["waku2"]`, which starts the libp2p host.
 */
import { firstBad, ipProblem, multiaddrProblem, originProblem } from './checks.ts'
import { boolOption, intOption, listOption, stringOption } from './options.ts'

const SERVICE_NODE = (service: string, plugin: string) =>
  stringOption({
    placeholder: 'multiaddr',
    description: `A remote node that serves ${service} (\`/ip4/…/tcp/…/p2p/<peer id>\`): this node runs the ${plugin} client against it and dials it at start. With \`relay = false\` the node is a light client.`,
    check: multiaddrProblem,
  })

export const waku2Schema = {
  relay: boolOption({
    default: true,
    description:
      'Relay messages (11/WAKU2-RELAY, gossipsub on `/vac/waku/relay/2.0.0`) on the pubsub topics of `cluster-id` and `shard`. `false` with `lightpush-node` and `filter-node` makes a light client.',
  }),
  store: boolOption({
    default: false,
    description:
      'Archive relayed messages in `store-message-db-url`, kept by `store-message-retention-policy`, and answer store queries (13/WAKU2-STORE v3 and the legacy v2beta4).',
  }),
  filter: boolOption({
    default: false,
    description: 'Serve light clients that subscribe to content topics (12/WAKU2-FILTER v2). Needs `relay`.',
  }),
  lightpush: boolOption({
    default: false,
    description:
      'Publish on behalf of light clients (19/WAKU2-LIGHTPUSH 3.0.0 and 2.0.0-beta1). Needs `relay`.',
  }),
  'peer-exchange': boolOption({
    default: false,
    description:
      'Serve node records found by `discv5-discovery` and `dns-discovery-url` to light clients (34/WAKU2-PEER-EXCHANGE).',
  }),
  'cluster-id': intOption({
    default: 0,
    min: 0,
    max: 65535,
    description:
      'Cluster of the relayed shards (`/waku/2/rs/<cluster>/<shard>`), announced in 66/WAKU2-METADATA; peers of another cluster are disconnected. The Waku Network is 1, Status 16.',
  }),
  shard: listOption({
    default: ['0'],
    placeholder: 'index,…',
    description: 'Shards of `cluster-id` to relay, `0`–`1023`. Repeat the flag or separate with commas.',
    check: (shards) =>
      firstBad(shards, (shard) =>
        /^\d{1,4}$/.test(shard) && Number(shard) <= 1023 ? undefined : 'expected a shard index 0..1023',
      ),
  }),
  'tcp-port': intOption({
    default: 60000,
    min: 0,
    max: 65535,
    description:
      "TCP port of the libp2p listener (nwaku's), on `listen-address`; `0` picks a free one. The devp2p port is `devp2p-port`.",
  }),
  'websocket-support': boolOption({
    default: false,
    description:
      'Also listen for libp2p over plain WebSocket (`/ws`) on `websocket-port`, for browsers behind a TLS proxy.',
  }),
  'websocket-port': intOption({
    default: 8000,
    min: 0,
    max: 65535,
    description: "Port of the libp2p WebSocket listener (nwaku's); `0` picks a free one.",
  }),
  'websocket-secure-support': boolOption({
    default: false,
    description:
      "Serve the libp2p WebSocket listener on `websocket-port` over TLS (`/wss`, which libp2p reports as `/tls/ws`) with `websocket-secure-cert-path` and `websocket-secure-key-path`, as nwaku's flag does; it replaces the plain `/ws` listener.",
  }),
  'websocket-secure-cert-path': stringOption({
    placeholder: 'path',
    description:
      'PEM certificate (chain) of the secure WebSocket listener, read at start. Needs `websocket-secure-support`.',
  }),
  'websocket-secure-key-path': stringOption({
    placeholder: 'path',
    description:
      'PEM private key of `websocket-secure-cert-path`, read at start. Needs `websocket-secure-support`.',
  }),
  'keep-alive': boolOption({
    default: true,
    description:
      "Ping each libp2p peer this node dialled every `keep-alive-interval` so idle connections stay open through NATs; a peer failing 3 rounds in a row is hung up. `false` turns the pings off (nwaku's `--keep-alive`).",
  }),
  'keep-alive-interval': intOption({
    default: 120,
    min: 1,
    max: 86400,
    description: "Seconds between keep-alive rounds; nwaku's 2 minutes by default.",
  }),
  rest: boolOption({
    default: false,
    description: "Serve nwaku's REST API (`/debug/v1/info`, `/relay/v1/…`, `/store/v3/…`) over HTTP.",
  }),
  'rest-address': stringOption({
    default: '127.0.0.1',
    placeholder: 'ip',
    description: 'Address of the REST server; expose it beyond 127.0.0.1 only on a trusted network.',
    check: ipProblem,
  }),
  'rest-port': intOption({
    default: 8645,
    min: 0,
    max: 65535,
    description: "Port of the REST server (nwaku's); `0` picks a free one.",
  }),
  'rest-allow-origin': listOption({
    default: [],
    placeholder: 'origin,…',
    description:
      "Origins browsers may call the REST API from (nwaku's `--rest-allow-origin`): `*`, or origins such as `https://example.org`. Empty: no CORS headers.",
    check: (origins) => firstBad(origins, originProblem),
  }),
  'lightpush-node': SERVICE_NODE('lightpush', 'lightpush'),
  'filter-node': SERVICE_NODE('filter', 'filter'),
  'store-node': SERVICE_NODE('store queries', 'store'),
}
