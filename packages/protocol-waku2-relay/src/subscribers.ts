import type { GossipSub } from '@chainsafe/libp2p-gossipsub'
import { AbortError, type AbortOptions } from '@parley/interfaces'

/** Resolves once some peer of `router` is subscribed to `topic`; rejects with `AbortError` on `signal`. */
export async function subscriberOf(
  router: GossipSub,
  topic: string,
  { signal }: AbortOptions = {},
): Promise<void> {
  if (signal?.aborted === true) throw new AbortError('waku2 relay waitForPeers aborted')
  if (router.getSubscribers(topic).length > 0) return
  await new Promise<void>((resolve, reject) => {
    const done = (error?: Error) => {
      router.removeEventListener('subscription-change', onChange)
      signal?.removeEventListener('abort', onAbort)
      if (error === undefined) resolve()
      else reject(error)
    }
    const onChange = () => {
      if (router.getSubscribers(topic).length > 0) done()
    }
    const onAbort = () => done(new AbortError('waku2 relay waitForPeers aborted'))
    router.addEventListener('subscription-change', onChange)
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}
