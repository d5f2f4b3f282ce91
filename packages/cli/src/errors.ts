import { InvalidConfigError, InvalidParametersError } from '@parley/interfaces'

/** Exit codes: 2 for input the user must fix (usage, configuration), 1 for failures at run time. */
export const EXIT_OK = 0
export const EXIT_FAILURE = 1
export const EXIT_USAGE = 2

const USAGE_CODES = new Set<string>([InvalidParametersError.code, InvalidConfigError.code])

export function exitCodeFor(error: unknown): number {
  const code = (error as { code?: unknown } | null)?.code
  return typeof code === 'string' && USAGE_CODES.has(code) ? EXIT_USAGE : EXIT_FAILURE
}

/** The one-line reason printed after `parley: `. */
export function reasonOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error)
  return message.replace(/\s*\n\s*/g, '; ').trim() || 'unknown error'
}
