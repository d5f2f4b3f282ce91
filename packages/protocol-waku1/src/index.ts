/** Waku v1 (`waku/1`) as a node plugin on the devp2p host. */
export { confirmationPackets, envelopeErrors } from './confirmations.ts'
export type { BatchAcknowledgedEvent, BatchResponseEvent } from './events.ts'
export { type Waku1Init, type Waku1Settings, waku1Settings } from './options.ts'
export { waku1 } from './plugin.ts'
export { Waku1, type Waku1Components } from './waku1.ts'
