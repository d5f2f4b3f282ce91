/**
 * Publishing our contact code (status-go protocol/encryption/publisher and
 * `Messenger.publishContactCode`): an empty ContactCodeAdvertisement, signed and wrapped as
 * CONTACT_CODE_ADVERTISEMENT, sent "public" through the secure transport (so the ProtocolMessage
 * carries our current bundle) on `0x<our key>-contact-code` under the key PBKDF2 derives from that
 * name. A contact listening there learns our signed prekey before we ever write to them.
 *
 * When: at start and every `checkIntervalMs` if the last publication is older than
 * `publishIntervalMs` (its time is persisted, so a restart does not publish early); at once when the
 * secure transport refreshes our bundle or a contact is added. A failure is logged and counted, and
 * the next check publishes whatever the schedule says.
 */
import {
  AbortError,
  type AbortOptions,
  type Counter,
  InvalidParametersError,
  type Secp256k1Provider,
} from '@parley/interfaces'
import { encodeContactCodeAdvertisement } from '../contact-code.ts'
import { ApplicationMessageType } from '../proto/enums.ts'
import { contactCodeTopicName } from '../topics.ts'
import { wrapMessage } from '../wrap.ts'
import type { Outbound } from './outbound.ts'
import type { MessengerState } from './state.ts'
import type { MessengerComponents, MessengerOptions } from './types.ts'

/** status-go: the publisher's ticker */
export const CONTACT_CODE_CHECK_INTERVAL_MS = 120_000
/** status-go `publishInterval`: 21 600 s */
export const CONTACT_CODE_PUBLISH_INTERVAL_MS = 21_600_000

/** Why a publication happened: the label of `parley_messenger_contact_code_publishes_total`. */
export type PublishTrigger = 'schedule' | 'bundle' | 'contact' | 'request'

export interface ContactCodeOwner {
  readonly publicKeyBytes: Uint8Array
  readonly secp256k1: Secp256k1Provider
  readonly state: MessengerState
}

type ContactCodeComponents = Pick<MessengerComponents, 'identityKey' | 'logger' | 'metrics' | 'bundleEvents'>
type ContactCodeOptions = Pick<
  MessengerOptions,
  'now' | 'contactCodeCheckIntervalMs' | 'contactCodePublishIntervalMs'
>

/** The longest delay `setInterval` honours (a longer one fires at once). */
const MAX_TIMER_MS = 2 ** 31 - 1

function interval(value: number | undefined, fallback: number, name: string, max: number): number {
  if (value === undefined) return fallback
  if (!Number.isSafeInteger(value) || value < 1 || value > max)
    throw new InvalidParametersError(`${name} must be an integer from 1 to ${max}`)
  return value
}

function aborted(options: AbortOptions | undefined): boolean {
  return options?.signal?.aborted === true
}

export class ContactCodePublisher {
  readonly #owner: ContactCodeOwner
  readonly #c: ContactCodeComponents
  readonly #outbound: Pick<Outbound, 'postPublic'>
  readonly #now: () => number
  readonly #checkIntervalMs: number
  readonly #publishIntervalMs: number
  readonly #publishes: Counter
  #timer: ReturnType<typeof setInterval> | undefined
  #background = new AbortController()
  /** publications run one after another */
  #queue: Promise<void> = Promise.resolve()
  #pending = 0
  /** a publication failed: the next check publishes even if the last success is recent */
  #owed = false

  constructor(
    owner: ContactCodeOwner,
    components: ContactCodeComponents,
    outbound: Pick<Outbound, 'postPublic'>,
    options: ContactCodeOptions = {},
  ) {
    this.#owner = owner
    this.#c = components
    this.#outbound = outbound
    this.#now = options.now ?? Date.now
    this.#checkIntervalMs = interval(
      options.contactCodeCheckIntervalMs,
      CONTACT_CODE_CHECK_INTERVAL_MS,
      'contactCodeCheckIntervalMs',
      MAX_TIMER_MS,
    )
    this.#publishIntervalMs = interval(
      options.contactCodePublishIntervalMs,
      CONTACT_CODE_PUBLISH_INTERVAL_MS,
      'contactCodePublishIntervalMs',
      Number.MAX_SAFE_INTEGER,
    )
    this.#publishes = components.metrics.counter({
      name: 'parley_messenger_contact_code_publishes_total',
      help: 'Contact-code publications, by trigger (schedule, bundle, contact, request) and outcome',
      labelNames: ['trigger', 'outcome'],
    })
  }

  /** Checks now (publishing if due), then every `checkIntervalMs` until `stop`; follows bundle refreshes. */
  start(): void {
    if (this.#timer !== undefined) return
    this.#timer = setInterval(() => this.#check(), this.#checkIntervalMs)
    this.#c.bundleEvents?.addEventListener('bundle:refreshed', this.#onBundleRefreshed)
    this.#check()
  }

  /** Clears the timer, aborts a publication under way and waits for it to end. */
  async stop(): Promise<void> {
    clearInterval(this.#timer)
    this.#timer = undefined
    this.#c.bundleEvents?.removeEventListener('bundle:refreshed', this.#onBundleRefreshed)
    this.#background.abort()
    this.#background = new AbortController()
    await this.#queue
  }

  /** Publishes now, whatever the schedule says; rejects if the post fails (counted as well). */
  publish(trigger: PublishTrigger, options?: AbortOptions): Promise<void> {
    return this.#enqueue(trigger, false, options)
  }

  /** Publishes in the background (the bundle changed, a contact was added); a failure is logged. */
  publishSoon(trigger: PublishTrigger): void {
    this.#run(trigger, false)
  }

  readonly #onBundleRefreshed = (): void => this.publishSoon('bundle')

  #check(): void {
    // A check while another publication waits would only repeat it.
    if (this.#pending === 0) this.#run('schedule', true)
  }

  #run(trigger: PublishTrigger, onlyIfDue: boolean): void {
    const signal = this.#background.signal
    this.#enqueue(trigger, onlyIfDue, { signal }).catch((error: unknown) => {
      if (!signal.aborted) this.#c.logger.warn(`contact code not published (${trigger}): ${String(error)}`)
    })
  }

  #enqueue(trigger: PublishTrigger, onlyIfDue: boolean, options?: AbortOptions): Promise<void> {
    this.#pending++
    const result = this.#queue.then(async () => {
      if (onlyIfDue && !(await this.#due(options))) return
      await this.#publish(trigger, options)
    })
    this.#queue = result
      .catch(() => {})
      .finally(() => {
        this.#pending--
      })
    return result
  }

  async #due(options?: AbortOptions): Promise<boolean> {
    if (this.#owed) return true
    const last = await this.#owner.state.contactCodePublishedAt(options)
    return last === undefined || this.#now() - last >= this.#publishIntervalMs
  }

  async #publish(trigger: PublishTrigger, options?: AbortOptions): Promise<void> {
    if (aborted(options)) throw new AbortError('contact-code publication aborted')
    const { secp256k1, publicKeyBytes, state } = this.#owner
    try {
      const advertisement = encodeContactCodeAdvertisement({ pushNotificationInfo: [] })
      const type = ApplicationMessageType.CONTACT_CODE_ADVERTISEMENT
      const wrapped = wrapMessage(advertisement, type, this.#c.identityKey, secp256k1)
      await this.#outbound.postPublic(contactCodeTopicName(publicKeyBytes), wrapped, options)
      await state.setContactCodePublishedAt(this.#now(), options)
      this.#owed = false
      this.#publishes.inc({ trigger, outcome: 'published' })
    } catch (error) {
      this.#owed = true
      if (!aborted(options)) this.#publishes.inc({ trigger, outcome: 'failed' })
      throw error
    }
  }
}
