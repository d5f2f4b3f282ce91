/** The walk-through the migration guide describes, run as CI runs `pnpm start`. */
import { describe, expect, it } from 'vitest'
import { runWalkthrough } from '../src/index.ts'

describe('bridge walk-through', () => {
  it('gives every generation every message once and v1 history to the v2 app', async () => {
    const result = await runWalkthrough({ signal: AbortSignal.timeout(15_000) })
    const all = ['hello from the waku1 app', 'hello from the waku2 app', 'hello from the whisper app']
    for (const texts of Object.values(result.delivered)) expect([...texts].sort()).toEqual(all)
    expect([...result.history].sort()).toEqual(all)
    expect(result.chat.contentTopic).toBe(`/waku/1/${result.chat.topic}/rfc26`)
    for (const stats of Object.values(result.stats)) expect(stats).toEqual({ bridged: 1, dropped: {} })
    expect(Object.keys(result.stats)).toHaveLength(6)
  })
})
