/**
 * Every node configuration option, declared once. Keys are nwaku-style kebab-case names; the same
 * key is the flag (`--log-level`), the TOML key (`log-level = "debug"`) and, upper-snake-cased with a
 * `PARLEY_` prefix, the environment variable (`PARLEY_LOG_LEVEL`).
 *
 * Add an option only together with the code that reads it.
 */
import { isIP } from 'node:net'
import { parseEnode } from '@parley/transport-devp2p'
import {
  boolOption,
  type ConfigOf,
  enumOption,
  intOption,
  listOption,
  numberOption,
  stringOption,
} from './options.ts'

export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'silent'] as const
export const SECP256K1_PROVIDERS = ['auto', 'native', 'wasm', 'js'] as const

const PRIVATE_KEY_HEX = /^(0x)?[0-9a-fA-F]{64}$/

/** The first item `valid` rejects, with why; `undefined` when every item passes. */
function firstBad(items: readonly string[], valid: (item: string) => string | undefined): string | undefined {
  for (const item of items) {
    const reason = valid(item)
    if (reason !== undefined) return `${JSON.stringify(item)}: ${reason}`
  }
  return undefined
}

/** node:dns `setServers` syntax: `ip`, `ipv4:port` or `[ipv6]:port`. */
function nameServerProblem(server: string): string | undefined {
  if (isIP(server) !== 0) return undefined
  const match = /^(?:\[([^\]]+)\]|([^:]+)):(\d{1,5})$/.exec(server)
  const host = match?.[1] ?? match?.[2]
  const port = Number(match?.[3])
  return host !== undefined && isIP(host) !== 0 && port >= 1 && port <= 65535
    ? undefined
    : 'expected ip, ipv4:port or [ipv6]:port'
}

function enodeProblem(url: string): string | undefined {
  try {
    parseEnode(url)
    return undefined
  } catch (error) {
    return error instanceof Error ? error.message : String(error)
  }
}

export const configSchema = {
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
  nodekey: stringOption({
    placeholder: 'hex',
    secret: true,
    description:
      'secp256k1 private key (32 bytes, hex) that fixes the node id. When unset, `start` generates a new one each run; create one with `parley key generate`.',
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
      'Where the message archive lives: `sqlite://<path>` (node:sqlite, WAL) or `memory://` (lost on exit).',
  }),
  'listen-address': stringOption({
    default: '0.0.0.0',
    placeholder: 'ip',
    description:
      'Address the devp2p (Whisper) listener binds to, and the host in the printed enode URL. `0.0.0.0` (every interface, as geth and nwaku) lets peers on the network connect; use `127.0.0.1` to stay local.',
    check: (value) => (isIP(value) === 0 ? 'expected an IPv4 or IPv6 address' : undefined),
  }),
  'tcp-port': intOption({
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
      "Most devp2p peers, inbound and outbound together. Below geth's 50: Whisper relays every envelope to every peer.",
  }),
  staticnode: listOption({
    default: [],
    placeholder: 'enode,…',
    description:
      'Peers to dial at start and redial whenever disconnected, as enode URLs (`enode://<128 hex>@<host>:<port>`). Repeat the flag or separate with commas.',
    check: (urls) => firstBad(urls, enodeProblem),
  }),
  'dns-discovery-url': listOption({
    default: [],
    placeholder: 'enrtree,…',
    description:
      'EIP-1459 node lists (`enrtree://<key>@<domain>`) to sync; every discovered node with an address is dialled until `max-peers`.',
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
  whisper: boolOption({
    default: false,
    description:
      'Run Whisper v6 (`shh/6`) over devp2p: listen on `listen-address`:`tcp-port`, dial `staticnode` and DNS-discovered peers, relay envelopes.',
  }),
  'whisper-min-pow': numberOption({
    default: 0.002,
    min: 0,
    description:
      "Proof of work required of peers' envelopes and used for our own. `0.002` is the pow Status clients post with, so their traffic passes; geth's `0.2` would drop all of it, and status-go's accept-all `0.000002` lets nearly free spam through.",
  }),
  'whisper-light-node': boolOption({
    default: false,
    description: "Announce a light node and relay only our own envelopes, never other peers'.",
  }),
}

export type ParleyConfig = ConfigOf<typeof configSchema>
