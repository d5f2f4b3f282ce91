import { type FakeComponents, fakeComponents } from '@parley/compliance-tests'
import { generatePrivateKey } from '@parley/crypto'
import { type Capability, libp2pHost } from '@parley/interfaces'
import { type Libp2pHostService, libp2p } from '@parley/transport-libp2p'
import type { Clock } from '../src/index.ts'

export const LOOPBACK = ['/ip4/127.0.0.1/tcp/0']

/** A clock whose timers run only when the test advances it. */
export class ManualClock implements Clock {
  #now = 1_700_000_000_000
  #timers = new Map<number, { at: number; callback: () => void }>()
  #next = 0

  now(): number {
    return this.#now
  }

  setTimeout(callback: () => void, ms: number): unknown {
    const id = ++this.#next
    this.#timers.set(id, { at: this.#now + ms, callback })
    return id
  }

  clearTimeout(handle: unknown): void {
    this.#timers.delete(handle as number)
  }

  /** Moves time on, running every timer that falls due, in order. */
  advance(ms: number): void {
    const until = this.#now + ms
    for (;;) {
      const due = [...this.#timers].filter(([, t]) => t.at <= until).sort((a, b) => a[1].at - b[1].at)[0]
      if (due === undefined) break
      this.#timers.delete(due[0])
      this.#now = Math.max(this.#now, due[1].at)
      due[1].callback()
    }
    this.#now = until
  }

  get pending(): number {
    return this.#timers.size
  }
}

const hosts: Libp2pHostService[] = []

/** A started libp2p host on loopback, and fake components that hand it out. */
export async function hostWithComponents(
  services: ReadonlyArray<readonly [Capability, unknown]> = [],
): Promise<{ host: Libp2pHostService; components: FakeComponents; address: string }> {
  const host = libp2p({ listen: LOOPBACK, privateKey: generatePrivateKey() }).create(fakeComponents())
  hosts.push(host)
  await host.start()
  const components = fakeComponents({ services: [[libp2pHost, host], ...services] })
  return { host, components, address: host.multiaddrs()[0] as string }
}

export async function stopHosts(): Promise<void> {
  await Promise.all(hosts.splice(0).map((host) => host.stop()))
}
