import {
  type Components,
  devp2pHost,
  historyClient,
  MissingCapabilityError,
  nodeIdentity,
  type Plugin,
  waku1Protocol,
  whisperProtocol,
} from '@parley/interfaces'
import { MailserverClient } from './client.ts'
import { clientMetrics } from './metrics.ts'
import { type MailserverClientInit, mailserverClientSettings } from './options.ts'

/**
 * The mailserver client plugin: history requests over Waku v1 (or Whisper) to the configured
 * mailservers, which it dials through the devp2p host and marks trusted. Provides `historyClient`
 * (for the JSON-RPC `shhext_requestMessages` and the CLI). Bad options throw
 * `InvalidConfigError` here, where they are written.
 */
export function mailserverClient(init: MailserverClientInit): Plugin<MailserverClient> {
  const settings = mailserverClientSettings(init)
  return {
    name: 'mailserver-client',
    provides: [historyClient],
    needs: [devp2pHost],
    wants: [waku1Protocol, whisperProtocol, nodeIdentity],
    create: (components: Components) => {
      const token =
        settings.protocol === 'shh'
          ? whisperProtocol
          : settings.protocol === 'waku' || components.has(waku1Protocol)
            ? waku1Protocol
            : whisperProtocol
      if (!components.has(token)) {
        throw new MissingCapabilityError('mailserver-client', token === waku1Protocol ? 'waku1' : 'whisper')
      }
      return new MailserverClient(
        {
          protocol: components.get(token),
          host: components.get(devp2pHost),
          logger: components.logger.forComponent('mailserver-client'),
          metrics: clientMetrics(components.metrics),
          events: components.events,
          ...(components.has(nodeIdentity) ? { nodeKey: components.get(nodeIdentity).privateKey } : {}),
        },
        settings,
      )
    },
  }
}
