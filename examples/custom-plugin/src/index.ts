import { keyValueStore, type Plugin } from '@parley/interfaces'
import { Heartbeat, type HeartbeatInit } from './heartbeat.ts'

export { Heartbeat, type HeartbeatComponents, type HeartbeatInit } from './heartbeat.ts'

/** The one factory of this package: `createNode({ services: { heartbeat: heartbeat() } })`. */
export function heartbeat(init: HeartbeatInit = {}): Plugin<Heartbeat> {
  return {
    name: 'heartbeat',
    needs: [keyValueStore],
    create: (components) =>
      new Heartbeat(
        {
          logger: components.logger.forComponent('heartbeat'),
          events: components.events,
          store: components.get(keyValueStore),
          beats: components.metrics.counter({
            name: 'parley_heartbeat_beats_total',
            help: 'Heartbeats since the process started',
          }),
        },
        init,
      ),
  }
}
