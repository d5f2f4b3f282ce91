/** Every async operation in Parley accepts an optional signal; aborting rejects with `AbortError`. */
export interface AbortOptions {
  signal?: AbortSignal
}
