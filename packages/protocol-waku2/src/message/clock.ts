/** The timestamp a node stamps on the WakuMessages it creates. */

const NS_PER_MS = 1_000_000n

let lastStamp = 0n

/**
 * Unix time in nanoseconds, strictly increasing within this process. Stores order messages by
 * (timestamp, hash), so two posts in the same millisecond would otherwise come back in hash order
 * rather than the order they were sent; nwaku stamps with a nanosecond clock for the same reason.
 * The wall clock sets the millisecond, a counter keeps successive stamps apart.
 */
export function nowNanoseconds(): bigint {
  const wall = BigInt(Date.now()) * NS_PER_MS
  lastStamp = wall > lastStamp ? wall : lastStamp + 1n
  return lastStamp
}
