/**
 * Content topics (23/WAKU2-TOPICS, relay-sharding): `/{application}/{version}/{name}/{encoding}`,
 * optionally prefixed by a generation, `/{generation}/{application}/...`. Only generation 0
 * (explicit or omitted) exists; nwaku, go-waku and js-waku reject anything else, and so do we.
 */
import { InvalidParametersError } from '@parley/interfaces'

export interface ContentTopic {
  /** 0; present on the wire only when the topic has the generation prefix. */
  readonly generation: number
  readonly application: string
  readonly version: string
  readonly name: string
  readonly encoding: string
}

export interface ContentTopicParts {
  /** Omit for the four-field form; 0 writes the `/0/...` prefix. */
  readonly generation?: number
  readonly application: string
  readonly version: string
  readonly name: string
  readonly encoding: string
}

/** Parses and validates; throws `InvalidParametersError` naming the bad field. */
export function parseContentTopic(topic: string): ContentTopic {
  if (!topic.startsWith('/')) throw new InvalidParametersError(`Content topic must start with "/": ${topic}`)
  const fields = topic.slice(1).split('/')
  let generation = 0
  if (fields.length === 5) {
    const prefix = fields.shift() as string
    if (!/^[0-9]+$/.test(prefix))
      throw new InvalidParametersError(`Invalid generation field in content topic: ${topic}`)
    generation = Number(prefix)
    if (generation > 0)
      throw new InvalidParametersError(`Generation greater than 0 is not supported: ${topic}`)
  } else if (fields.length !== 4) {
    throw new InvalidParametersError(`Content topic must have 4 fields (or 5 with a generation): ${topic}`)
  }
  const [application, version, name, encoding] = fields as [string, string, string, string]
  for (const [label, value] of [
    ['application', application],
    ['version', version],
    ['name', name],
    ['encoding', encoding],
  ] as const) {
    if (value.length === 0)
      throw new InvalidParametersError(`Content topic ${label} field cannot be empty: ${topic}`)
  }
  return { generation, application, version, name, encoding }
}

/** True when `parseContentTopic` would accept the topic. */
export function isValidContentTopic(topic: string): boolean {
  try {
    parseContentTopic(topic)
    return true
  } catch (error) {
    if (error instanceof InvalidParametersError) return false
    throw error
  }
}

/** Builds a content topic string; throws `InvalidParametersError` for empty fields, `/` in a field, or generation > 0. */
export function formatContentTopic(parts: ContentTopicParts): string {
  const { generation, application, version, name, encoding } = parts
  const body = `/${application}/${version}/${name}/${encoding}`
  const topic = generation === undefined ? body : `/${generation}${body}`
  if (generation !== undefined && !(Number.isInteger(generation) && generation >= 0))
    throw new InvalidParametersError(
      `Content topic generation must be a non-negative integer, got ${generation}`,
    )
  const parsed = parseContentTopic(topic)
  // A "/" inside a field would shift the others and still parse; catch it by comparing back.
  if (
    parsed.application !== application ||
    parsed.version !== version ||
    parsed.name !== name ||
    parsed.encoding !== encoding
  )
    throw new InvalidParametersError(`Content topic fields must not contain "/": ${topic}`)
  return topic
}
