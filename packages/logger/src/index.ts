export { type FormattedEntry, formatEntry } from './format.ts'
export { createLogger, type LoggerOptions, type LogLevel } from './logger.ts'
export { NamespaceFilter } from './namespaces.ts'
export {
  isSecretField,
  looksLikeMnemonic,
  REDACTED,
  redactText,
  SECRET_FIELD_PATTERN,
} from './redact.ts'
export { isRedacting, withRedaction } from './redacting.ts'
export { bytesToHex, type Plain, sanitize } from './sanitize.ts'
export { isSecret, Secret, secret } from './secret.ts'
