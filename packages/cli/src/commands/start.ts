import type { JsonRpcServer } from '@parley/api-jsonrpc'
import type { RestApiServer } from '@parley/api-rest'
import type { ParleyNode } from '@parley/core'
import type { Discv5Discovery } from '@parley/discovery-discv5'
import { devp2pHost, libp2pHost, nodeIdentity } from '@parley/interfaces'
import type { PrometheusServer } from '@parley/metrics-prometheus'
import type { ParleyConfig } from '../config/schema.ts'
import { EXIT_OK } from '../errors.ts'
import { type TextSink, writeLine } from '../io.ts'
import { bridgeSides } from '../node/bridge.ts'
import { composeNode, loggerFor } from '../node/compose.ts'
import { devp2pProtocols } from '../node/devp2p.ts'
import type { NodeKey } from '../node/nodekey.ts'
import { needsLibp2p, pubsubTopics, runsWaku2 } from '../node/waku2.ts'
import { defineCommand, requireConfig } from './command.ts'

export const startCommand = defineCommand({
  name: 'start',
  summary: 'Run a node until Ctrl-C (SIGINT) or SIGTERM',
  description: [
    'Composes a node from the configuration: the message store named by --store-message-db-url and',
    "the node's secp256k1 identity (--nodekey, else <--data-dir>/nodekey, created on the first run,",
    'else a new key each run). With --protocol whisper and/or waku1, a devp2p listener on',
    '--listen-address:--devp2p-port runs those protocols and dials enode --staticnode peers, and',
    'peers that --dns-discovery-url, --rendezvous-node or --discv5-discovery find, through the peer',
    'pool. With --protocol waku2, a libp2p host on --tcp-port (and --websocket-port, /ws or with',
    '--websocket-secure-support /wss) runs --relay, --store, --filter, --lightpush and',
    '--peer-exchange, or the clients of --lightpush-node, --filter-node and --store-node, and',
    'keeps multiaddr --staticnode peers connected. --rpc serves the',
    'JSON-RPC API, --rest the REST API, --metrics-server Prometheus metrics. --bridge carries',
    'public-chat traffic between the protocols (--preset bridge: whisper, waku1 and waku2 with relay',
    'and store). Once everything listens it prints each endpoint (enode:, libp2p:',
    '<multiaddr>/p2p/<peer id>, bridge:, rpc:, ws:, rest:, metrics:)',
    'on standard output; logs go to standard error. SIGINT or SIGTERM stops every plugin in reverse',
    'start order and exits 0.',
  ].join('\n'),
  flags: {},
  usesConfig: true,
  async run(context) {
    const { io, signal } = context
    const config = requireConfig(context).values
    const logger = loggerFor(config, io.stderr)
    const { node, nodeKey } = await composeNode(config, logger, { signal })

    await node.start({ signal })
    announce(node, config, nodeKey, io.stdout)

    await aborted(signal)
    await node.stop()
    writeLine(io.stdout, `node "${config.name}" stopped`)
    return EXIT_OK
  },
})

/**
 * Prints who the node is and where to reach it, one `label: value` line each, on standard output
 * (the plugins log the same at info, on standard error).
 */
export function announce(node: ParleyNode, config: ParleyConfig, nodeKey: NodeKey, stdout: TextSink): void {
  const { nodeId } = node.get(nodeIdentity)
  writeLine(stdout, `node "${config.name}" started, node id ${nodeId}${keyNote(nodeKey)}`)
  const endpoints: Array<[string, string | undefined]> = []
  const protocols = devp2pProtocols(config)
  if (protocols.length > 0) {
    endpoints.push(['enode', node.get(devp2pHost).enode], ['protocols', protocols.join(',')])
  }
  if (needsLibp2p(config)) {
    // One line per listen address, each ending in /p2p/<peer id>: what other nodes dial.
    for (const address of node.get(libp2pHost).multiaddrs()) endpoints.push(['libp2p', address])
  }
  if (runsWaku2(config) && config.relay) endpoints.push(['pubsub-topics', pubsubTopics(config).join(',')])
  if (config.bridge) endpoints.push(['bridge', bridgeSides(config).join(',')])
  if (config['discv5-discovery'])
    endpoints.push(['discv5', node.service<Discv5Discovery>('discovery-discv5').enr])
  if (config.rpc) {
    const rpc = node.service<JsonRpcServer>('rpc')
    endpoints.push(['rpc', rpc.url()])
    if (config['ws-rpc-port'] !== undefined) endpoints.push(['ws', rpc.wsUrl()])
  }
  if (config.rest) endpoints.push(['rest', node.service<RestApiServer>('rest').url()])
  if (config['metrics-server']) {
    endpoints.push(['metrics', node.service<PrometheusServer>('metrics').url()])
  }
  for (const [label, value] of endpoints) writeLine(stdout, `${label}: ${value}`)
}

function keyNote(nodeKey: NodeKey): string {
  switch (nodeKey.source) {
    case 'ephemeral':
      return ' (new key: pass --nodekey or --data-dir to keep this id)'
    case 'generated':
      return ` (new key saved to ${nodeKey.path})`
    case 'file':
      return ` (key from ${nodeKey.path})`
    default:
      return ''
  }
}

export function aborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve()
  return new Promise((resolve) => {
    // A node without sockets leaves the event loop empty and Node would exit (code 13, unsettled
    // top-level await); the timer keeps the process up until the stop signal.
    const keepAlive = setInterval(() => {}, 2 ** 31 - 1)
    signal.addEventListener(
      'abort',
      () => {
        clearInterval(keepAlive)
        resolve()
      },
      { once: true },
    )
  })
}
