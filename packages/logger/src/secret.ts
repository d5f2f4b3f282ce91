// The marker lives in @parley/interfaces so plugins can mark secrets without depending on the logger.
export { isSecret, Secret, secret } from '@parley/interfaces'
