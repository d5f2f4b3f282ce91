/** `waku1(init)` options, their defaults (status-go's unless said) and their checks. */
import { hexToTopic, MAX_TOPIC_INTEREST, mergeBlooms, TOPIC_LENGTH, topicToBloom } from '@parley/envelope'
import { InvalidConfigError } from '@parley/interfaces'
import { type WhisperInit, type WhisperSettings, whisperSettings } from '@parley/protocol-whisper'

export interface Waku1Init extends WhisperInit {
  /**
   * Minimum proof of work we accept and advertise, and the default target of `post`. Default 0.002,
   * the value Status clients run status-go with (status-go's library constant is 0.2, like geth).
   */
  minPow?: number
  /**
   * The topics we want (hex `0x` + 8 digits, or 4 bytes), at most 10 000. When set, it is sent in
   * Status instead of relying on the bloom, peers send us only these topics, and we accept only them.
   */
  topicInterest?: ReadonlyArray<string | Uint8Array>
  /**
   * Answer every Messages packet with a Message Response (12) and a Batch Acknowledged (11), and say
   * so in Status (status-go's `EnableConfirmations`). Default false, as status-go.
   */
  confirmationsEnabled?: boolean
}

export interface Waku1Settings extends WhisperSettings {
  /** `undefined`: no topic interest, the bloom decides */
  topicInterest: Uint8Array[] | undefined
  confirmationsEnabled: boolean
}

/** Fills the defaults; throws `InvalidConfigError` for values no node could run with. */
export function waku1Settings(init: Waku1Init = {}): Waku1Settings {
  if (init.topicInterest !== undefined && init.bloom !== undefined) {
    throw new InvalidConfigError(
      'waku1: give topicInterest or bloom, not both (the bloom follows the topics)',
    )
  }
  const topicInterest = init.topicInterest === undefined ? undefined : topicsOf(init.topicInterest)
  // With topic interest our bloom is the one its topics make, so that the two never disagree.
  const bloom = topicInterest === undefined ? init.bloom : bloomOf(topicInterest)
  const base = rename(() =>
    whisperSettings({ ...init, minPow: init.minPow ?? 0.002, ...(bloom === undefined ? {} : { bloom }) }),
  )
  return { ...base, topicInterest, confirmationsEnabled: init.confirmationsEnabled ?? false }
}

export function topicsOf(topics: ReadonlyArray<string | Uint8Array>): Uint8Array[] {
  if (topics.length > MAX_TOPIC_INTEREST) {
    throw new InvalidConfigError(
      `waku1: topicInterest holds ${topics.length} topics, over ${MAX_TOPIC_INTEREST}`,
    )
  }
  return topics.map((topic) => {
    if (typeof topic !== 'string') {
      if (topic.length !== TOPIC_LENGTH) throw new InvalidConfigError('waku1: a topic is 4 bytes')
      return topic.slice()
    }
    try {
      return hexToTopic(topic)
    } catch {
      throw new InvalidConfigError(`waku1: bad topic ${topic}`)
    }
  })
}

/** The bloom filter that matches exactly the blooms of these topics. */
export function bloomOf(topics: readonly Uint8Array[]): Uint8Array {
  return mergeBlooms(...topics.map((topic) => topicToBloom(topic)))
}

/** whisperSettings' errors say `whisper:`; ours say `waku1:`. */
function rename<T>(make: () => T): T {
  try {
    return make()
  } catch (error) {
    if (error instanceof InvalidConfigError)
      throw new InvalidConfigError(error.message.replace(/^whisper:/, 'waku1:'))
    throw error
  }
}
