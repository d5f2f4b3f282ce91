/** Loads the AssemblyScript kernel (assembly/pow.ts) from the base64 module generated beside this file. */
import type { PowKernel, PowSearchResult } from './kernel.ts'
import { POW_KERNEL_WASM_BASE64 } from './kernel.wasm.ts'

/** The parts of the WebAssembly JS API used here (the compiler's lib has no WebAssembly types). */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object
  Instance: new (module: object, imports: object) => { exports: unknown }
}

interface KernelExports {
  memory: { buffer: ArrayBuffer }
  input(length: number): number
  prepare(length: number): void
  search(start: bigint, count: number, targetBits: number): number
  getBestNonce(): bigint
  hash(nonce: bigint): number
}

const wasm = (globalThis as { WebAssembly?: WasmApi }).WebAssembly
let compiled: object | undefined
let unavailable = false

function decodeBase64(text: string): Uint8Array {
  const binary = atob(text)
  const bytes = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i)
  return bytes
}

/** Compiled once, lazily. The module is a few KiB, under browsers' limit for synchronous compilation. */
function kernelModule(): object {
  if (wasm === undefined) throw new TypeError('This runtime has no WebAssembly')
  compiled ??= new wasm.Module(decodeBase64(POW_KERNEL_WASM_BASE64))
  return compiled
}

export function wasmKernelAvailable(): boolean {
  if (compiled !== undefined) return true
  if (unavailable || wasm === undefined) return false
  try {
    kernelModule()
    return true
  } catch {
    unavailable = true
    return false
  }
}

const U64 = (1n << 64n) - 1n

export class WasmPowKernel implements PowKernel {
  readonly kind = 'wasm'
  readonly #exports: KernelExports

  constructor() {
    const module = kernelModule()
    this.#exports = new wasm!.Instance(module, {}).exports as KernelExports
  }

  prepare(prefix: Uint8Array): void {
    const at = this.#exports.input(prefix.length)
    if (at === 0) throw new RangeError(`No WebAssembly memory for a ${prefix.length}-byte envelope`)
    new Uint8Array(this.#exports.memory.buffer, at, prefix.length).set(prefix)
    this.#exports.prepare(prefix.length)
  }

  search(start: bigint, count: number, targetBits: number): PowSearchResult {
    const bits = this.#exports.search(start, count, targetBits)
    const nonce = this.#exports.getBestNonce() & U64
    const hashes = bits >= targetBits ? Number((nonce - start) & U64) + 1 : count
    return { bits, nonce: bits < 0 ? start : nonce, hashes }
  }

  hash(nonce: bigint): Uint8Array {
    const at = this.#exports.hash(nonce)
    return new Uint8Array(this.#exports.memory.buffer, at, 32).slice()
  }
}
