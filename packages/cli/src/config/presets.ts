/**
 * Named bundles of defaults for common node roles, chosen with `preset`. A preset only moves
 * defaults: the config file, the environment and flags still override each of its values.
 */
import type { Presets } from './resolve.ts'

export const PRESET_NAMES = ['bridge'] as const

export const configPresets: Presets = {
  option: 'preset',
  tables: {
    // A bridge node: both devp2p generations and Waku v2 relay in one process, with a v2 store so
    // v2 clients read back what crossed. A mailserver stays opt-in (`--mailserver`): it needs a
    // lasting archive to be worth running.
    bridge: {
      protocol: ['whisper', 'waku1', 'waku2'],
      bridge: true,
      relay: true,
      store: true,
    },
  },
}
