// `pnpm start` in this folder (CI runs it): the docs/WAKU-V2-MIGRATION.md walk-through on loopback.
import { runWalkthrough } from './walkthrough.ts'

const result = await runWalkthrough({ signal: AbortSignal.timeout(20_000) })
for (const [app, texts] of Object.entries(result.delivered))
  console.log(`${app} app read: ${texts.join(' | ')}`)
console.log(`waku2 app's store history: ${result.history.join(' | ')}`)
for (const [direction, { bridged, dropped }] of Object.entries(result.stats))
  console.log(`bridge ${direction}: ${bridged} bridged, dropped ${JSON.stringify(dropped)}`)

// Each app reads every message once (its own included), and the history holds what came from v1.
const everyOnce = Object.values(result.delivered).every(
  (texts) => texts.length === 3 && new Set(texts).size === 3,
)
const historyFromV1 = ['whisper', 'waku1'].every((app) =>
  result.history.includes(`hello from the ${app} app`),
)
if (!everyOnce || !historyFromV1) process.exitCode = 1
