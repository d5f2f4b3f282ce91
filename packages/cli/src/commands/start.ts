import { devp2pHost, nodeIdentity } from '@parley/interfaces'
import type { PrometheusServer } from '@parley/metrics-prometheus'
import { EXIT_OK } from '../errors.ts'
import { writeLine } from '../io.ts'
import { composeNode, loggerFor } from '../node/compose.ts'
import { defineCommand, requireConfig } from './command.ts'

export const startCommand = defineCommand({
  name: 'start',
  summary: 'Run a node until Ctrl-C (SIGINT) or SIGTERM',
  description: [
    'Composes a node from the configuration: the message store named by --store-message-db-url, the',
    "node's secp256k1 identity from --nodekey (a new one each run when unset) and, with",
    '--metrics-server, a Prometheus endpoint whose URL is printed once it listens. With --whisper, a',
    'devp2p listener on --listen-address:--tcp-port running Whisper v6; its enode URL is printed once',
    'it listens, and --staticnode and --dns-discovery-url peers are dialled. Logs go to standard error.',
    'SIGINT or SIGTERM stops every plugin in reverse start order and exits 0.',
  ].join('\n'),
  flags: {},
  usesConfig: true,
  async run(context) {
    const { io, signal } = context
    const config = requireConfig(context).values
    const logger = loggerFor(config, io.stderr)
    const { node, ephemeralKey } = await composeNode(config, logger, { signal })

    await node.start({ signal })
    const { nodeId } = node.get(nodeIdentity)
    const keyNote = ephemeralKey ? ' (new key: pass --nodekey to keep this id)' : ''
    writeLine(io.stdout, `node "${config.name}" started, node id ${nodeId}${keyNote}`)
    if (config.whisper) writeLine(io.stdout, `enode: ${node.get(devp2pHost).enode}`)
    if (config['metrics-server']) {
      writeLine(io.stdout, `metrics: ${node.service<PrometheusServer>('metrics').url()}`)
    }

    await aborted(signal)
    await node.stop()
    writeLine(io.stdout, `node "${config.name}" stopped`)
    return EXIT_OK
  },
})

function aborted(signal: AbortSignal): Promise<void> {
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
