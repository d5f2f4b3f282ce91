import { whisperProtocol } from '@parley/interfaces'
import { dialRaw, envelopesCounted, rawPeer, whisperHandshake, whisperNode } from './helpers.ts'
import { injectionSuite } from './injection-suite.ts'

injectionSuite({
  label: 'whisper',
  node: (name) => whisperNode(name, { minPow: 0.002 }),
  protocol: (node) => node.get(whisperProtocol),
  raw: rawPeer,
  join: async (raw, node) => {
    await dialRaw(raw, node)
    await whisperHandshake(raw, node)
  },
  counted: envelopesCounted,
})
