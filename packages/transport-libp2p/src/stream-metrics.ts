/**
 * A js-libp2p `metrics` implementation that does one thing: counts the bytes of every negotiated
 * protocol stream, by protocol and direction, into a Parley counter. libp2p hands each stream to
 * `trackProtocolStream` once its protocol is agreed; everything else libp2p would register is a
 * no-op here (the node's own metrics cover peers and connections).
 */
import type { Counter } from '@parley/interfaces'
import type { Libp2pOptions } from 'libp2p'

type Libp2pMetrics = ReturnType<NonNullable<Libp2pOptions['metrics']>>
type ProtocolStream = Parameters<Libp2pMetrics['trackProtocolStream']>[0]
type Chunk = { readonly byteLength: number }

const noopMetric = {
  update: () => {},
  increment: () => {},
  decrement: () => {},
  reset: () => {},
  observe: () => {},
  timer: () => () => {},
}

/** `register*(name, options)`: a metric to update, or nothing for a calculated one (libp2p's contract). */
function register(_name: string, options?: { calculate?: unknown }): typeof noopMetric | undefined {
  return options?.calculate === undefined ? noopMetric : undefined
}

/** Wraps the stream's source and sink so each chunk is counted as it passes; the data is untouched. */
export function countStreamBytes(stream: ProtocolStream, bytes: Counter): void {
  const protocol = stream.protocol
  if (protocol === undefined || protocol === '') return
  const source = stream.source
  stream.source = (async function* () {
    for await (const chunk of source) {
      bytes.inc({ protocol, direction: 'in' }, (chunk as Chunk).byteLength)
      yield chunk
    }
  })()
  const sink = stream.sink.bind(stream)
  stream.sink = (input) =>
    sink(
      (async function* () {
        for await (const chunk of input) {
          bytes.inc({ protocol, direction: 'out' }, (chunk as Chunk).byteLength)
          yield chunk
        }
      })(),
    )
}

/** The `metrics` factory for `createLibp2p`, counting stream bytes into `bytes`. */
export function protocolByteMetrics(bytes: Counter): NonNullable<Libp2pOptions['metrics']> {
  const metrics = {
    trackMultiaddrConnection: () => {},
    trackProtocolStream: (stream: ProtocolStream) => countStreamBytes(stream, bytes),
    registerMetric: register,
    registerMetricGroup: register,
    registerCounter: register,
    registerCounterGroup: register,
    registerHistogram: register,
    registerHistogramGroup: register,
    registerSummary: register,
    registerSummaryGroup: register,
    traceFunction: <F>(_name: string, fn: F): F => fn,
    createTrace: () => undefined,
  }
  return () => metrics as unknown as Libp2pMetrics
}
