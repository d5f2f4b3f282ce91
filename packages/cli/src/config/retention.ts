/**
 * nwaku's `--store-message-retention-policy` syntax for the mailserver's archive: `time:<seconds>`,
 * `capacity:<envelopes>`, `size:<amount><unit>` (`10GB`, `512MiB`), several joined by `;`, or `none`.
 */
export interface Retention {
  maxAgeSeconds?: number
  maxCount?: number
  maxBytes?: number
}

const UNITS: Readonly<Record<string, number>> = {
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  tb: 1e12,
  kib: 2 ** 10,
  mib: 2 ** 20,
  gib: 2 ** 30,
  tib: 2 ** 40,
}

const KINDS = { time: 'maxAgeSeconds', capacity: 'maxCount', size: 'maxBytes' } as const

export type ParsedRetention = { ok: true; value: Retention } | { ok: false; reason: string }

export function parseRetention(text: string): ParsedRetention {
  const value: Retention = {}
  if (text.trim().toLowerCase() === 'none') return { ok: true, value }
  for (const part of text.split(';')) {
    const match = /^\s*(time|capacity|size):\s*(\d+)\s*([a-z]*)\s*$/i.exec(part)
    const kind = match?.[1]?.toLowerCase() as keyof typeof KINDS | undefined
    if (match === null || kind === undefined) {
      return {
        ok: false,
        reason: `"${part.trim()}": expected time:<seconds>, capacity:<count> or size:<n><unit>`,
      }
    }
    const unit = (match[3] ?? '').toLowerCase()
    const scale = kind === 'size' ? UNITS[unit || 'b'] : unit === '' ? 1 : undefined
    if (scale === undefined) return { ok: false, reason: `"${part.trim()}": unknown unit "${match[3]}"` }
    const amount = Number(match[2]) * scale
    if (!Number.isSafeInteger(amount) || amount < 1) {
      return { ok: false, reason: `"${part.trim()}": expected a positive amount` }
    }
    const field = KINDS[kind]
    if (value[field] !== undefined) return { ok: false, reason: `${kind} is given twice` }
    value[field] = amount
  }
  return { ok: true, value }
}
