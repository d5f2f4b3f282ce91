/** IPv4/IPv6 text ⇄ bytes, strict like Go's netip (no leading zeros, no zones). */

/** The 4 or 16 bytes of an IP literal, or `undefined` if `text` is not one. */
export function parseIp(text: string): Uint8Array | undefined {
  return text.includes(':') ? parseIp6(text) : parseIp4(text)
}

export function parseIp4(text: string): Uint8Array | undefined {
  const parts = text.split('.')
  if (parts.length !== 4) return undefined
  const out = new Uint8Array(4)
  for (let i = 0; i < 4; i++) {
    const part = parts[i]!
    if (!/^(0|[1-9][0-9]{0,2})$/.test(part)) return undefined
    const value = Number(part)
    if (value > 255) return undefined
    out[i] = value
  }
  return out
}

export function parseIp6(text: string): Uint8Array | undefined {
  const halves = text.split('::')
  if (halves.length > 2) return undefined
  const groups = (half: string): number[] | undefined => {
    if (half === '') return []
    const words: number[] = []
    const parts = half.split(':')
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i]!
      if (i === parts.length - 1 && part.includes('.')) {
        const v4 = parseIp4(part)
        if (v4 === undefined) return undefined
        words.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!)
      } else if (/^[0-9a-fA-F]{1,4}$/.test(part)) {
        words.push(Number.parseInt(part, 16))
      } else {
        return undefined
      }
    }
    return words
  }
  const head = groups(halves[0]!)
  const tail = halves.length === 2 ? groups(halves[1]!) : []
  if (head === undefined || tail === undefined) return undefined
  const missing = 8 - head.length - tail.length
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined
  const words = [...head, ...new Array<number>(missing).fill(0), ...tail]
  const out = new Uint8Array(16)
  words.forEach((word, i) => {
    out[2 * i] = word >> 8
    out[2 * i + 1] = word & 0xff
  })
  return out
}

/** Text form of 4 or 16 bytes; IPv6 per RFC 5952 (longest zero run shortened, IPv4-mapped dotted). */
export function formatIp(bytes: Uint8Array): string {
  if (bytes.length === 4) return bytes.join('.')
  if (bytes.length !== 16) throw new RangeError(`an IP address is 4 or 16 bytes, got ${bytes.length}`)
  const words = Array.from({ length: 8 }, (_, i) => (bytes[2 * i]! << 8) | bytes[2 * i + 1]!)
  if (words.slice(0, 5).every((word) => word === 0) && words[5] === 0xffff)
    return `::ffff:${bytes.subarray(12).join('.')}`
  let bestStart = -1
  let bestLength = 1 // RFC 5952: a single zero group is not shortened
  for (let i = 0; i < 8; ) {
    if (words[i] !== 0) {
      i++
      continue
    }
    let end = i
    while (end < 8 && words[end] === 0) end++
    if (end - i > bestLength) {
      bestStart = i
      bestLength = end - i
    }
    i = end
  }
  const hex = words.map((word) => word.toString(16))
  if (bestStart < 0) return hex.join(':')
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`
}
