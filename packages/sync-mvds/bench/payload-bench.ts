/**
 * MVDS payload encode/decode throughput, for a batch-mode payload as status-go sends it (some ACKs
 * and chat-sized messages with a parent):
 *   npx pnpm exec node packages/sync-mvds/bench/payload-bench.ts [--messages 10] [--body 512] [--ms 1000]
 */
import { decodePayload, encodePayload, type Payload } from '../src/index.ts'

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`)
  const value = at < 0 ? fallback : Number(process.argv[at + 1])
  if (!Number.isSafeInteger(value) || value < 0) throw new Error(`--${name} must be a non-negative integer`)
  return value
}

const messages = option('messages', 10)
const bodyBytes = option('body', 512)
const ms = option('ms', 1000)
const id = (n: number) => new Uint8Array(32).fill(n)
const payload: Payload = {
  acks: [id(1), id(2), id(3)],
  offers: [],
  requests: [],
  messages: Array.from({ length: messages }, (_, n) => ({
    groupId: id(9),
    timestamp: 1_700_000_000n + BigInt(n),
    body: new Uint8Array(bodyBytes).fill(n),
    metadata: { parents: [id(n)], ephemeral: false },
  })),
  groupOffers: [],
}
const bytes = encodePayload(payload)

function measure(label: string, run: () => unknown): void {
  for (let i = 0; i < 200; i++) run() // warm up
  let count = 0
  const start = performance.now()
  while (performance.now() - start < ms) {
    for (let i = 0; i < 100; i++) run()
    count += 100
  }
  const seconds = (performance.now() - start) / 1000
  const perSecond = count / seconds
  console.log(
    `${label}: ${Math.round(perSecond)} payloads/s, ${((perSecond * bytes.length) / 2 ** 20).toFixed(1)} MiB/s`,
  )
}

console.log(`payload: ${messages} messages of ${bodyBytes} bytes + 3 acks = ${bytes.length} bytes`)
measure('encode', () => encodePayload(payload))
measure('decode', () => decodePayload(bytes))
