/** Shared fixtures for the host tests: hosts on loopback with a recording `tst/1` capability. */
import { type FakeComponents, fakeComponents } from '@parley/compliance-tests'
import type { Devp2pPeer } from '@parley/interfaces'
import { expect } from 'vitest'
import { type Devp2pHostService, type Devp2pInit, devp2p } from '../src/index.ts'

export interface Received {
  peer: string
  code: number
  payload: Uint8Array
}

export interface TestHost {
  service: Devp2pHostService
  components: FakeComponents
  received: Received[]
  connected: Devp2pPeer[]
  disconnected: Array<{ peer: string; reason: number | undefined }>
}

/** A host (not started) with the toy capability `tst/1`, 130 codes long, that records everything. */
export function testHost(
  init: Devp2pInit = {},
  onMessage?: (peer: Devp2pPeer, code: number) => void | Promise<void>,
): TestHost {
  const components = fakeComponents()
  const service = devp2p({ port: 0, ...init }).create(components)
  const host: TestHost = { service, components, received: [], connected: [], disconnected: [] }
  service.registerCapability({
    name: 'tst',
    version: 1,
    length: 130,
    onPeerConnect: (peer) => {
      host.connected.push(peer)
    },
    onMessage: (peer, code, payload) => {
      host.received.push({ peer: peer.id, code, payload })
      return onMessage?.(peer, code)
    },
    onPeerDisconnect: (peer, reason) => {
      host.disconnected.push({ peer: peer.id, reason })
    },
  })
  return host
}

/** Polls until `check` holds; the default bound is generous because a loaded machine delays every timer. */
export async function until(check: () => boolean, what = 'condition', ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms
  while (!check() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5))
  expect(check(), what).toBe(true)
}

export function enodeOf(host: TestHost): string {
  const { enode } = host.service
  if (enode === undefined) throw new Error('host is not listening')
  return enode
}
