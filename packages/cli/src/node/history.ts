/** History (status-go's mailserver): the server with `mailserver`, the client with `mailnode`. */
import { InvalidConfigError, type Plugin } from '@parley/interfaces'
import { mailserver, mailserverClient } from '@parley/mailserver'
import { parseRetention } from '../config/retention.ts'
import type { ParleyConfig } from '../config/schema.ts'
import { devp2pProtocols } from './devp2p.ts'

type HistoryConfig = Pick<
  ParleyConfig,
  'mailserver' | 'mailserver-password' | 'store-message-retention-policy' | 'mailnode' | 'protocol'
>

/** `mailserver` and `history` services, as configured; none without either option. */
export function historyPlugins(config: HistoryConfig): Record<string, Plugin> {
  const plugins: Record<string, Plugin> = {}
  const wanted = [
    config.mailserver ? 'mailserver' : undefined,
    config.mailnode.length > 0 ? 'mailnode' : undefined,
  ]
  const named = wanted.filter((key) => key !== undefined)
  if (named.length === 0) return plugins
  if (devp2pProtocols(config).length === 0) {
    throw new InvalidConfigError(
      `${named.join(' and ')} need${named.length > 1 ? '' : 's'} --protocol whisper or waku1`,
    )
  }
  const password = config['mailserver-password']
  if (config.mailserver) {
    const retention = parseRetention(config['store-message-retention-policy'])
    // The schema checked it; a failure here is a bug, not input.
    if (!retention.ok) throw new TypeError(retention.reason)
    plugins.mailserver = mailserver({
      ...(password === undefined ? {} : { password }),
      retention: retention.value,
    })
  }
  if (config.mailnode.length > 0) {
    plugins.history = mailserverClient({
      mailservers: config.mailnode,
      ...(password === undefined ? {} : { password }),
    })
  }
  return plugins
}
