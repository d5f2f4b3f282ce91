/**
 * Secret detection. The logger calls these on everything it prints; they err on the side of hiding
 * a value, since a leaked key cannot be taken back while a hidden log value costs little.
 */

export const REDACTED = '[redacted]'

/**
 * Object fields whose names match this pattern are printed as `[redacted]` whatever their value:
 * private keys (`priv`, `nodekey`), symmetric keys (`symkey`, `sym_key`, `symmetric`), passwords
 * (`password`, `passphrase`, `passwd`, `pwd`), mnemonics and seeds, API keys and tokens, and
 * anything called a secret.
 */
export const SECRET_FIELD_PATTERN =
  /(priv|secret|password|passphrase|mnemonic|seed|symkey|sym_key|symmetric|passwd|pwd|apikey|token|nodekey)/i

/** True when a field called `name` holding `value` must not be printed. */
export function isSecretField(name: string, value: unknown): boolean {
  if (SECRET_FIELD_PATTERN.test(name)) return true
  // `StoredKey.key` and similar: a bare `key` holding 32 bytes is a private or symmetric key.
  return name === 'key' && isKeySized(value)
}

function isKeySized(value: unknown): boolean {
  if (value instanceof Uint8Array || value instanceof ArrayBuffer) return value.byteLength === 32
  if (typeof value === 'string')
    return /^(0x)?[0-9a-f]{64}$/i.test(value) || /^[A-Za-z0-9+/_-]{43}=?$/.test(value)
  return Array.isArray(value) && value.length === 32 && value.every((item) => typeof item === 'number')
}

// BIP-39 words are 3 to 8 lowercase letters; a phrase has 12 to 24 of them.
const MNEMONIC_WORD = '[a-z]{3,8}'
const MNEMONIC_PATTERN = new RegExp(`^\\s*(?:${MNEMONIC_WORD}\\s+){11,}${MNEMONIC_WORD}\\s*$`)

/** True for a string made only of 12 or more lowercase 3–8 letter words: it may be a BIP-39 mnemonic. */
export function looksLikeMnemonic(text: string): boolean {
  return MNEMONIC_PATTERN.test(text)
}

// Words that announce a secret in free text ("private key 0x…", "symKey: …", "nodekey=…").
const SECRET_WORD = /(priv|secret|key|seed|password|passphrase|passwd|pwd|token|mnemonic)/i
// A public key is not a secret, and node ids / peer keys are commonly logged after "pubkey".
const PUBLIC_WORD = /^pub/i
// 32 bytes as exactly 64 hex digits (optionally 0x-prefixed) or as padded base64.
const KEY_LITERAL =
  /(?<![0-9a-fA-F])(?:0x)?[0-9a-fA-F]{64}(?![0-9a-fA-F])|(?<![A-Za-z0-9+/])[A-Za-z0-9+/]{43}=(?![A-Za-z0-9+/=])/g
// `password=hunter2`, `token: "abc"`: an assignment to a secret-sounding name.
const SECRET_ASSIGNMENT =
  /\b([\w-]*(?:priv|secret|password|passphrase|passwd|pwd|mnemonic|apikey|token|nodekey|symkey|sym_key)[\w-]*)(\s*[:=]\s*)(\[redacted\]|"[^"]*"|'[^']*'|[^\s,;)}\]]+)/gi
// "mnemonic: abandon ability able …" inside a longer message.
const MNEMONIC_AFTER_WORD = new RegExp(
  `\\b(mnemonic|seed|phrase|words)(\\W{1,4})((?:${MNEMONIC_WORD}\\s+){11,}${MNEMONIC_WORD})\\b`,
  'gi',
)

/**
 * Redacts secrets inside free text: a whole string that looks like a mnemonic, key-sized hex or
 * base64 that follows a word like key/secret/priv (within three words), assignments to
 * secret-sounding names, and mnemonic phrases after "mnemonic"/"seed".
 */
export function redactText(text: string): string {
  if (looksLikeMnemonic(text)) return REDACTED
  let result = text.replace(
    MNEMONIC_AFTER_WORD,
    (_match, word: string, gap: string) => `${word}${gap}${REDACTED}`,
  )
  result = result.replace(SECRET_ASSIGNMENT, (match, name: string, separator: string, value: string) =>
    PUBLIC_WORD.test(name) || value === REDACTED ? match : `${name}${separator}${REDACTED}`,
  )
  return result.replace(KEY_LITERAL, (literal, offset: number) =>
    followsSecretWord(result, offset) ? REDACTED : literal,
  )
}

function followsSecretWord(text: string, offset: number): boolean {
  const words = text
    .slice(Math.max(0, offset - 80), offset)
    .split(/[^A-Za-z0-9_]+/)
    .filter((word) => word.length > 0)
    .slice(-3)
  for (let index = words.length - 1; index >= 0; index--) {
    const word = words[index] ?? ''
    if (!SECRET_WORD.test(word)) continue
    const previous = words[index - 1] ?? ''
    return !PUBLIC_WORD.test(word) && !/^public$/i.test(previous)
  }
  return false
}
