/** An in-memory `resolveTxt` over tree records, counting lookups (unit tests only). */
import type { ResolveTxt } from '../src/index.ts'

export interface MemoryDns {
  zone: Map<string, string>
  resolveTxt: ResolveTxt
  lookups: string[]
}

export function memoryDns(...zones: ReadonlyMap<string, string>[]): MemoryDns {
  const zone = new Map<string, string>()
  for (const records of zones) for (const [name, text] of records) zone.set(name, text)
  const lookups: string[] = []
  const resolveTxt: ResolveTxt = async (name) => {
    lookups.push(name)
    const text = zone.get(name)
    if (text === undefined)
      throw Object.assign(new Error(`queryTxt ENOTFOUND ${name}`), { code: 'ENOTFOUND' })
    return [[text]]
  }
  return { zone, resolveTxt, lookups }
}
