/**
 * The Chaos Unicorn Day on loopback (issue 4, item 8): every bootnode and the rendezvous server go
 * dark and half the nodes restart; the network must heal from what the nodes knew (the peer pool's
 * SQLite cache and the peers discovery had found), and a message posted afterwards must reach every
 * node. `pnpm test` runs the short version; `pnpm chaos` (PARLEY_TEST_CHAOS=long) more nodes and rounds.
 */
import { devp2pHost, libp2pHost, waku1Protocol } from '@parley/interfaces'
import { afterEach, describe, expect, it } from 'vitest'
import { ChaosNetwork } from './network.ts'
import { bootnode, type EntryPoints, member, type NodeSpec, nodeSpec, rendezvousNode } from './nodes.ts'
import { since, waitUntil } from './wait.ts'

const LONG = process.env.PARLEY_TEST_CHAOS === 'long'
const SETTINGS = LONG
  ? { members: 16, rounds: 4, stepMs: 60_000, testMs: 900_000 }
  : { members: 6, rounds: 1, stepMs: 15_000, testMs: 60_000 }

let network: ChaosNetwork | undefined
afterEach(async () => {
  await network?.close()
  network = undefined
})

interface Setup {
  net: ChaosNetwork
  bootnodes: NodeSpec[]
  rendezvous: NodeSpec
  members: NodeSpec[]
  entry: EntryPoints
}

/** Two bootnodes in the DNS tree, a rendezvous server, `count` members; resolves once they are one mesh. */
async function setUp(count: number): Promise<Setup> {
  const net = await ChaosNetwork.open()
  network = net
  const bootnodes = [nodeSpec('boot-1'), nodeSpec('boot-2')]
  const rendezvous = nodeSpec('rendezvous')
  const members = Array.from({ length: count }, (_, index) => nodeSpec(`node-${index + 1}`))
  await startInfrastructure(net, bootnodes, rendezvous)
  await net.publish(bootnodes)
  const entry = {
    trees: [net.treeUrl],
    dnsServer: net.dnsServer,
    rendezvous: net.node(rendezvous.name).get(libp2pHost).multiaddrs(),
  }
  // Every member starts at once, as after a release: early lookups race the registrations.
  await Promise.all(members.map((spec) => net.start(spec, member(spec, net.secp, entry, { dir: net.dir }))))
  await settled(net, members, bootnodes)
  return { net, bootnodes, rendezvous, members, entry }
}

async function startInfrastructure(net: ChaosNetwork, bootnodes: NodeSpec[], rendezvous: NodeSpec) {
  await Promise.all(bootnodes.map((spec) => net.start(spec, bootnode(spec, net.secp))))
  await net.start(rendezvous, rendezvousNode(rendezvous, net.secp))
}

/**
 * Every member has its pool's minimum, the members and bootnodes are one mesh, and the members'
 * caches link them all (the precondition for healing without help). The members' live links alone
 * need not connect them: they may hang together only through the bootnodes.
 */
async function settled(net: ChaosNetwork, members: NodeSpec[], bootnodes: NodeSpec[]): Promise<number> {
  const names = members.map((spec) => spec.name)
  const everyone = [...names, ...bootnodes.map((spec) => spec.name)]
  const enough = () => names.every((name) => net.node(name).get(waku1Protocol).readyPeers().length >= 2)
  return waitUntil(
    'the network to settle',
    async () => enough() && net.meshed(everyone) && (await net.cachesConnected(names)),
    SETTINGS.stepMs,
    async () =>
      `${net.describe(names)}; meshed ${net.meshed(everyone)}; caches linked ${await net.cachesConnected(names)}`,
  )
}

/**
 * One blow: the bootnodes, the rendezvous server and half the members (which half alternates by
 * round) stop at once; that half starts again on its stores. Resolves with the round's figures
 * once the members are one mesh and a restarted member's message has reached all the others.
 */
async function chaosRound(setup: Setup, round: number): Promise<string> {
  const { net, bootnodes, rendezvous, members, entry } = setup
  const names = members.map((spec) => spec.name)
  const restarted = members.filter((_, index) => (index + round) % 2 === 0)
  const chaos = performance.now()
  await net.kill([...bootnodes, rendezvous, ...restarted].map((spec) => spec.name))
  await Promise.all(restarted.map((spec) => net.start(spec, member(spec, net.secp, entry, { dir: net.dir }))))
  const backAt = new Map<string, number>()
  await waitUntil(
    'the members to mesh again',
    () => {
      for (const name of names) {
        if (!backAt.has(name) && net.node(name).get(waku1Protocol).readyPeers().length > 0)
          backAt.set(name, since(chaos))
      }
      return net.meshed(names)
    },
    SETTINGS.stepMs,
    () => net.describe(names),
  )
  const meshedMs = since(chaos)
  const [sender] = restarted
  if (sender === undefined) throw new Error('no member restarted')
  const deliveryMs = await net.broadcast(
    sender.name,
    names.filter((name) => name !== sender.name),
    SETTINGS.stepMs,
  )
  const recoverMs = since(chaos)
  const fromCache = await Promise.all(restarted.map((spec) => net.dials(spec.name, 'cache', 'connected')))
  expect(net.meshed(names)).toBe(true)
  // The restarted nodes had no rendezvous and only dead bootnodes in DNS: their cache did it.
  expect(fromCache.reduce((sum, count) => sum + count, 0)).toBeGreaterThan(0)
  const [lastName, lastMs] = [...backAt].reduce((a, b) => (b[1] > a[1] ? b : a))
  const lastRole = restarted.some((spec) => spec.name === lastName) ? 'restarted' : 'survivor'
  return (
    `round ${round}: ${members.length} nodes, ${restarted.length} restarted; ` +
    `last to have a peer again: ${lastName} (${lastRole}) at ${lastMs} ms; meshed after ${meshedMs} ms; ` +
    `message everywhere ${deliveryMs} ms after the post; time to recover ${recoverMs} ms; ` +
    `connected dials from the cache per restarted node: ${fromCache.join(', ')}`
  )
}

describe(`chaos on loopback (${LONG ? 'long' : 'short'})`, () => {
  it(
    'heals after every bootnode and the rendezvous server die and half the nodes restart',
    async () => {
      const setup = await setUp(SETTINGS.members)
      const { net, bootnodes, rendezvous, members } = setup
      const figures: string[] = []
      for (let round = 1; round <= SETTINGS.rounds; round++) {
        if (round > 1) {
          // The operators bring the infrastructure back (same keys, same ports) before the next blow.
          await startInfrastructure(net, bootnodes, rendezvous)
          await settled(net, members, bootnodes)
        }
        figures.push(await chaosRound(setup, round))
      }
      console.log(`[chaos] ${figures.join('\n[chaos] ')}`)
    },
    SETTINGS.testMs,
  )

  it(
    'lets a fresh node in through the DNS tree once it is republished with new bootnodes',
    async () => {
      const { net, bootnodes, rendezvous, members } = await setUp(4)
      const names = members.map((spec) => spec.name)
      await net.kill([...bootnodes, rendezvous].map((spec) => spec.name))
      // The newcomer knows only the tree, which still lists the dead bootnodes.
      const fresh = nodeSpec('fresh')
      const dnsOnly = { trees: [net.treeUrl], dnsServer: net.dnsServer, rendezvous: [] }
      await net.start(fresh, member(fresh, net.secp, dnsOnly, { dir: undefined }))
      // New bootnodes join the surviving members; then the tree is republished with them.
      const replacements = [nodeSpec('boot-3'), nodeSpec('boot-4')]
      const memberEnodes = names.map((name) => enodeOf(net, name))
      await Promise.all(replacements.map((spec) => net.start(spec, bootnode(spec, net.secp, memberEnodes))))
      await waitUntil(
        'the new bootnodes to join',
        () => replacements.every((spec) => net.node(spec.name).get(waku1Protocol).readyPeers().length > 0),
        SETTINGS.stepMs,
      )
      expect(net.node(fresh.name).get(waku1Protocol).readyPeers()).toEqual([])
      const republished = performance.now()
      await net.publish(replacements)
      const everyone = [...names, fresh.name, ...replacements.map((spec) => spec.name)]
      await waitUntil(
        'the fresh node to join',
        () => net.meshed(everyone),
        SETTINGS.stepMs,
        () => net.describe(everyone),
      )
      const joinedMs = since(republished)
      const [sender] = names
      if (sender === undefined) throw new Error('no members')
      const deliveryMs = await net.broadcast(sender, [fresh.name], SETTINGS.stepMs)
      console.log(
        `[chaos] fresh node via the republished tree: meshed ${joinedMs} ms after the republish, ` +
          `message delivered ${deliveryMs} ms after the post`,
      )
    },
    SETTINGS.testMs,
  )
})

function enodeOf(net: ChaosNetwork, name: string): string {
  const enode = net.node(name).get(devp2pHost).enode
  if (enode === undefined) throw new Error(`${name} is not listening`)
  return enode
}
