/** Whisper v6 (`shh/6`) as a node plugin on the devp2p host. */
export { type WhisperInit, type WhisperSettings, whisperSettings } from './options.ts'
export { whisper } from './plugin.ts'
export { Whisper, type WhisperComponents } from './whisper.ts'
