import {
  type Components,
  InvalidConfigError,
  messageArchive,
  type Plugin,
  type V1PrivacyProtocol,
  waku1Protocol,
  whisperProtocol,
} from '@parley/interfaces'
import { Mailserver } from './mailserver.ts'
import { mailserverMetrics } from './metrics.ts'
import { type MailserverInit, mailserverSettings } from './options.ts'

/**
 * The mailserver plugin: serves history over every present v1 protocol (`shh/6`, `waku/1`) from
 * the node's `messageArchive`. Bad options throw `InvalidConfigError` here, where they are written.
 */
export function mailserver(init: MailserverInit = {}): Plugin<Mailserver> {
  const settings = mailserverSettings(init)
  return {
    name: 'mailserver',
    needs: [messageArchive],
    wants: [whisperProtocol, waku1Protocol],
    create: (components: Components) => {
      const protocols: V1PrivacyProtocol[] = []
      for (const token of [whisperProtocol, waku1Protocol]) {
        if (components.has(token)) protocols.push(components.get(token))
      }
      if (protocols.length === 0) {
        throw new InvalidConfigError('mailserver: the node has neither Whisper (shh/6) nor Waku v1 (waku/1)')
      }
      return new Mailserver(
        {
          protocols,
          archive: components.get(messageArchive),
          logger: components.logger.forComponent('mailserver'),
          metrics: mailserverMetrics(components.metrics),
          events: components.events,
        },
        settings,
      )
    },
  }
}
