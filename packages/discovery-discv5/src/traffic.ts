/**
 * `parley_discovery_bytes_total{source="discv5"}`. @chainsafe/discv5 counts messages, not bytes,
 * and keeps its sockets private, so the transport is extended through its public surface: an
 * outgoing packet is measured by encoding it (the library then encodes it again to send), an
 * incoming one by re-encoding what its `packet` event reports, which gives back the datagram's
 * length. UDP payload only, without UDP/IP headers; datagrams that fail to decode are not counted.
 */
import { UDPTransportService, type UDPTransportServiceInit } from '@chainsafe/discv5'
import { encodePacket, type IPacket } from '@chainsafe/discv5/packet'
import { type Counter, DISCOVERY_BYTES_METRIC, type Metrics } from '@parley/interfaces'

/** The counter shared by every discovery source (same name, kind and labels as theirs). */
export function discoveryBytesCounter(metrics: Metrics): Counter {
  return metrics.counter(DISCOVERY_BYTES_METRIC)
}

/** The UDP transport, counting the bytes of every packet sent and every packet decoded. */
export class CountingUdpTransport extends UDPTransportService {
  readonly #bytes: Counter

  constructor(init: UDPTransportServiceInit, bytes: Counter) {
    super(init)
    this.#bytes = bytes
    // Packets arrive masked with our node id, so encoding for it reproduces their length.
    packetEvents(this).on('packet', (_from, packet) =>
      bytes.inc({ source: 'discv5', direction: 'in' }, encodePacket(init.nodeId, packet).length),
    )
  }

  override async send(...[to, toId, packet]: Parameters<UDPTransportService['send']>): Promise<void> {
    await super.send(to, toId, packet)
    this.#bytes.inc({ source: 'discv5', direction: 'out' }, encodePacket(toId, packet).length)
  }
}

/** The `packet` event as the library types it (its emitter typing does not resolve from here). */
function packetEvents(transport: UDPTransportService): {
  on(event: 'packet', listener: (from: unknown, packet: IPacket) => void): unknown
} {
  return transport as unknown as ReturnType<typeof packetEvents>
}
