/** `parley enr decode | from-key`: read and make EIP-778 node records, printed as JSON. */
import { bytesToHex, generatePrivateKey, hexToBytes, loadCrypto } from '@parley/crypto'
import {
  addressEntries,
  decodeEnr,
  type Enr,
  enodeFromEnr,
  enrAddresses,
  enrToText,
  enrWakuFields,
  formatEnode,
  libp2pPeerId,
  signEnr,
} from '@parley/enr'
import { InvalidParametersError, type Secp256k1Provider } from '@parley/interfaces'
import { PRIVATE_KEY_HEX } from '../config/checks.ts'
import { intOption, stringOption } from '../config/options.ts'
import { EXIT_OK } from '../errors.ts'
import { writeLine } from '../io.ts'
import { defineCommand } from './command.ts'
import { messageOf } from './dns-tree.ts'

/** An entry value: bytes or a list of them (decoded RLP). */
type EntryValue = Enr['entries'] extends ReadonlyMap<string, infer V> ? V : never

/** Every field of a verified record, the known ones decoded and every entry also as raw hex. */
export function describeEnr(enr: Enr, secp: Secp256k1Provider): Record<string, unknown> {
  const addresses = enrAddresses(enr)
  const waku = enrWakuFields(enr)
  // An enode URL needs an address: a record without an IP or TCP port has none.
  const url = enodeFromEnr(enr, secp)
  const enode = url.ip === undefined || url.tcp === 0 ? undefined : formatEnode(url)
  return {
    enr: enrToText(enr),
    seq: enr.seq.toString(),
    id: textOf(enr.entries.get('id')),
    nodeId: bytesToHex(enr.nodeId),
    publicKey: bytesToHex(enr.publicKey),
    peerId: libp2pPeerId(enr.publicKey),
    ip: addresses.ip ?? null,
    tcp: addresses.tcp ?? null,
    udp: addresses.udp ?? null,
    ...(addresses.ip6 === undefined ? {} : { ip6: addresses.ip6 }),
    ...(addresses.tcp6 === undefined ? {} : { tcp6: addresses.tcp6 }),
    ...(addresses.udp6 === undefined ? {} : { udp6: addresses.udp6 }),
    enode: enode ?? null,
    ...(waku.capabilities === undefined ? {} : { waku2: [...waku.capabilities] }),
    ...(waku.multiaddrs === undefined ? {} : { multiaddrs: waku.multiaddrs }),
    ...(waku.shards === undefined ? {} : { shards: waku.shards }),
    signature: bytesToHex(enr.signature),
    entries: Object.fromEntries([...enr.entries].map(([key, value]) => [key, rawHex(value)])),
    size: enr.bytes.length,
  }
}

function textOf(value: EntryValue | undefined): string | null {
  return value instanceof Uint8Array ? new TextDecoder().decode(value) : null
}

/** An entry as hex of its value; a list entry as an array of hex items. */
function rawHex(value: EntryValue): unknown {
  return value instanceof Uint8Array ? bytesToHex(value) : value.map(rawHex)
}

export const enrDecodeCommand = defineCommand({
  name: 'enr decode',
  summary: 'Verify and decode a node record (enr:…); prints its fields as JSON',
  description: [
    'Checks the record (size, RLP shape, key order, the v4 signature) and prints',
    '{"enr","seq","id","nodeId","publicKey","peerId","ip","tcp","udp","enode",…,"entries"}: the',
    'discovery node id (keccak256 of the key), the libp2p peer id, the address entries (null when',
    'absent), the Waku fields (waku2, multiaddrs, shards) when present, and every entry as hex.',
    'An invalid record exits 2 with the reason.',
  ].join('\n'),
  flags: {},
  arguments: [{ name: 'enr', description: 'The record as text: enr:<base64url>.' }],
  usesConfig: false,
  async run({ io, args, signal }) {
    const text = (args[0] ?? '').trim()
    const { secp256k1: secp } = await loadCrypto({ signal })
    let enr: Enr
    let fields: Record<string, unknown>
    try {
      enr = decodeEnr(text, secp)
      fields = describeEnr(enr, secp)
    } catch (error) {
      throw new InvalidParametersError(`not a valid node record: ${messageOf(error)}`, { cause: error })
    }
    writeLine(io.stdout, JSON.stringify(fields))
    return EXIT_OK
  },
})

const PORT = { min: 0, max: 65535 } as const

export const enrFromKeyCommand = defineCommand({
  name: 'enr from-key',
  summary: 'Sign a node record with a key; prints the record and its fields as JSON',
  description: [
    'Signs a record (seq --seq) holding --ip, --tcp and --udp with --nodekey, or with a new key',
    'whose private half is then printed as "privateKey" (keep it to sign the next version).',
    'Prints the same fields as `parley enr decode`.',
  ].join('\n'),
  flags: {
    nodekey: stringOption({
      placeholder: 'hex',
      secret: true,
      description: 'The secp256k1 private key, 64 hex digits; a new one when unset.',
      check: (value) => (PRIVATE_KEY_HEX.test(value) ? undefined : 'expected 64 hex digits'),
    }),
    ip: stringOption({ placeholder: 'ipv4|ipv6', description: 'The IP address of the record.' }),
    tcp: intOption({ ...PORT, description: 'The TCP port of the record.' }),
    udp: intOption({ ...PORT, description: 'The UDP (discovery) port of the record.' }),
    seq: intOption({ default: 1, min: 0, max: Number.MAX_SAFE_INTEGER, description: 'Sequence number.' }),
  },
  usesConfig: false,
  async run({ io, flags, signal }) {
    const { secp256k1: secp } = await loadCrypto({ signal })
    const { nodekey } = flags
    const generated = nodekey === undefined
    const privateKey = generated ? generatePrivateKey() : hexToBytes(nodekey.replace(/^0x/, ''))
    const { ip } = flags
    const v6 = ip?.includes(':') === true
    let enr: Enr
    try {
      const entries = addressEntries({
        ...(ip === undefined ? {} : v6 ? { ip6: ip } : { ip }),
        ...(flags.tcp === undefined ? {} : v6 ? { tcp6: flags.tcp } : { tcp: flags.tcp }),
        ...(flags.udp === undefined ? {} : v6 ? { udp6: flags.udp } : { udp: flags.udp }),
      })
      enr = signEnr({ seq: flags.seq, entries }, privateKey, secp)
    } catch (error) {
      throw new InvalidParametersError(messageOf(error), { cause: error })
    }
    const fields = describeEnr(enr, secp)
    writeLine(
      io.stdout,
      JSON.stringify(generated ? { ...fields, privateKey: bytesToHex(privateKey) } : fields),
    )
    return EXIT_OK
  },
})

export const enrCommands = [enrDecodeCommand, enrFromKeyCommand]
