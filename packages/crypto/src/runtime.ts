/**
 * Access to Node.js built-ins without a static `import 'node:…'`, so this package loads in browsers
 * and other runtimes that lack them. `process.getBuiltinModule` is synchronous (Node ≥ 22.3), which
 * keeps the symmetric primitives synchronous too.
 */
import type * as NodeCrypto from 'node:crypto'

type NodeModule = typeof import('node:module')

interface BuiltinProcess {
  getBuiltinModule?: (id: string) => unknown
}

function builtin(id: string): unknown {
  const proc = (globalThis as { process?: BuiltinProcess }).process
  if (typeof proc?.getBuiltinModule !== 'function') return undefined
  try {
    return proc.getBuiltinModule(id)
  } catch {
    return undefined
  }
}

/** `node:crypto`, or `undefined` outside Node.js. */
export const nodeCrypto = builtin('node:crypto') as typeof NodeCrypto | undefined

/** A CommonJS `require` relative to this file, or `undefined` outside Node.js. */
export function nodeRequire(): NodeJS.Require | undefined {
  const mod = builtin('node:module') as NodeModule | undefined
  return mod?.createRequire(import.meta.url)
}
