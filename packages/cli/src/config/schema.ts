/**
 * Every node configuration option, declared once. Keys are nwaku-style kebab-case names; the same
 * key is the flag (`--log-level`), the TOML key (`log-level = "debug"`) and, upper-snake-cased with a
 * `PARLEY_` prefix, the environment variable (`PARLEY_LOG_LEVEL`).
 *
 * Add an option only together with the code that reads it.
 */
import { boolOption, type ConfigOf, enumOption, intOption, stringOption } from './options.ts'

export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'silent'] as const
export const SECP256K1_PROVIDERS = ['auto', 'native', 'wasm', 'js'] as const

const PRIVATE_KEY_HEX = /^(0x)?[0-9a-fA-F]{64}$/

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
}

export type ParleyConfig = ConfigOf<typeof configSchema>
