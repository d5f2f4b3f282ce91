/**
 * A DEBUG-style enable list: `parley:whisper*,-parley:whisper:peer` enables every namespace
 * starting with `parley:whisper` except `parley:whisper:peer`. Patterns are separated by commas or
 * spaces; `*` matches any run of characters; a leading `-` excludes, and exclusions win.
 */
export class NamespaceFilter {
  readonly #include: RegExp[] = []
  readonly #exclude: RegExp[] = []

  constructor(list: string) {
    for (const pattern of list.split(/[\s,]+/)) {
      if (pattern === '' || pattern === '-') continue
      if (pattern.startsWith('-')) this.#exclude.push(toRegExp(pattern.slice(1)))
      else this.#include.push(toRegExp(pattern))
    }
  }

  matches(namespace: string): boolean {
    if (this.#exclude.some((pattern) => pattern.test(namespace))) return false
    return this.#include.some((pattern) => pattern.test(namespace))
  }
}

function toRegExp(pattern: string): RegExp {
  const source = pattern
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*')
  return new RegExp(`^${source}$`)
}
