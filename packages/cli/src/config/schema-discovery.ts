/**
 * Discovery options beyond static peers and DNS lists: status-go's rendezvous, discv5, and the
 * peer pool that drives them for devp2p peers.
 */
import { enrTextProblem, firstBad, multiaddrProblem } from './checks.ts'
import { boolOption, intOption, listOption, stringOption } from './options.ts'

export const DISCV5_PROTOCOL_IDS = ['discv5', 'd5waku'] as const

/** `whisper=2:3`: a peer pool topic and its limits. */
export function parsePoolTopic(text: string): { name: string; min: number; max: number } | undefined {
  const match = /^([A-Za-z0-9_-]{1,50})=(\d{1,4}):(\d{1,4})$/.exec(text)
  if (match === null) return undefined
  const [, name = '', min, max] = match
  const limits = { name, min: Number(min), max: Number(max) }
  return limits.max >= 1 && limits.min <= limits.max ? limits : undefined
}

export const discoverySchema = {
  'rendezvous-node': listOption({
    default: [],
    placeholder: 'multiaddr,…',
    description:
      "status-go rendezvous servers (`/rend/0.1.0`, multiaddrs ending in `/p2p/<peer id>`): the node registers its devp2p record there under its protocols' topics (`whisper`, `waku`, and `whispermail` with `mailserver`) and finds devp2p peers through them. Needs `protocol` whisper or waku1; starts the libp2p host.",
    check: (addresses) => firstBad(addresses, multiaddrProblem),
  }),
  'rendezvous-server': boolOption({
    default: false,
    description:
      'Serve the rendezvous protocol on the libp2p host, for other nodes to register and find each other.',
  }),
  'discv5-discovery': boolOption({
    default: false,
    description:
      'Find peers with discv5 on UDP `discv5-udp-port`: devp2p peers (Whisper, Waku v1) feed the peer pool, Waku v2 records with addresses are dialled over libp2p.',
  }),
  'discv5-udp-port': intOption({
    default: 9000,
    min: 0,
    max: 65535,
    description: "UDP port of discv5 (nwaku's); `0` picks a free one.",
  }),
  'discv5-bootstrap-node': listOption({
    default: [],
    placeholder: 'enr,…',
    description: 'Node records (`enr:…`) discv5 starts from. Repeat the flag or separate with commas.',
    check: (records) => firstBad(records, enrTextProblem),
  }),
  'discv5-protocol-id': stringOption({
    placeholder: DISCV5_PROTOCOL_IDS.join('|'),
    description:
      "discv5 packet protocol id: `discv5` (Ethereum's network) or `d5waku` (33/WAKU2-DISCV5, Waku's). Unset: `d5waku` when `protocol` has waku2, else `discv5`.",
    check: (value) =>
      (DISCV5_PROTOCOL_IDS as readonly string[]).includes(value)
        ? undefined
        : `expected one of ${DISCV5_PROTOCOL_IDS.join(', ')}`,
  }),
  'peer-pool-topic': listOption({
    default: [],
    placeholder: 'topic=min:max,…',
    description:
      "Limits of the peer pool that dials discovered devp2p peers (when `dns-discovery-url`, `rendezvous-node` or `discv5-discovery` is set), as status-go's topic pools: discovery runs fast below `min`, slowly up to `max`, and pauses at `max`. Connected peers are cached in the node's store, so a restart reconnects without discovery. Unset: `whisper=2:3` (`waku=2:3` for waku1 alone).",
    check: (topics) =>
      firstBad(topics, (topic) =>
        parsePoolTopic(topic) === undefined ? 'expected topic=min:max with min ≤ max, max ≥ 1' : undefined,
      ),
  }),
}
