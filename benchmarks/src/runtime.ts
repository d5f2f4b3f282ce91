/**
 * The runtime a result was measured in: engine and version, JIT, WebAssembly and its SIMD, cores,
 * and the user agent (browsers) or OS/CPU (Node). Loads in browsers and workers too: Node built-ins
 * are reached through `process.getBuiltinModule`, never a static import.
 */
import type * as NodeOs from 'node:os'

export interface RuntimeInfo {
  /** 'node', 'browser' (a page or a worker), 'deno', 'bun', 'hermes' or 'unknown' */
  kind: string
  /** 'V8', 'JavaScriptCore', 'SpiderMonkey', 'Hermes' or 'unknown' */
  engine: string
  engineVersion: string | null
  /** 'node 24.21.0', 'Chrome 140.0.0.0', ... */
  runtime: string
  /** false when the engine was told to interpret only (--jitless); null when it cannot be told */
  jit: boolean | null
  /** whether WebAssembly exists in this run (false in a no-WASM run) */
  wasm: boolean
  /** WebAssembly fixed-width SIMD validates */
  wasmSimd: boolean
  /** true when this run removed WebAssembly on purpose (`--no-wasm`, the page's no-WASM pass) */
  wasmDisabled: boolean
  hardwareConcurrency: number | null
  userAgent: string | null
  /** Node: "Linux 6.1.0 x64"; browsers: null (see userAgent) */
  os: string | null
  /** Node: the CPU model; browsers cannot see it */
  cpu: string | null
}

/** A module with one function returning a v128 constant: validates only where SIMD is supported. */
const SIMD_PROBE = Uint8Array.of(
  0,
  97,
  115,
  109,
  1,
  0,
  0,
  0,
  1,
  5,
  1,
  96,
  0,
  1,
  123,
  3,
  2,
  1,
  0,
  10,
  10,
  1,
  8,
  0,
  65,
  0,
  253,
  15,
  253,
  98,
  11,
)

interface WasmProbe {
  validate(bytes: Uint8Array): boolean
}

interface RuntimeGlobals {
  WebAssembly?: WasmProbe
  navigator?: { userAgent?: string; hardwareConcurrency?: number }
  process?: {
    versions?: Record<string, string | undefined>
    execArgv?: string[]
    env?: Record<string, string | undefined>
    getBuiltinModule?: (id: string) => unknown
  }
  Deno?: { version?: { deno?: string; v8?: string } }
  HermesInternal?: { getRuntimeProperties?: () => Record<string, string> }
}

const WASM_DISABLED = Symbol.for('parley.bench.wasmDisabled')

/**
 * Removes WebAssembly from this realm, so that providers loaded afterwards fall back to JavaScript
 * the way they would on a runtime without it (Hermes). Call before importing the cases.
 */
export function disableWasm(): void {
  const g = globalThis as Record<PropertyKey, unknown>
  Reflect.deleteProperty(g, 'WebAssembly')
  // some hosts define it non-configurable; shadow it then
  if ('WebAssembly' in g) g.WebAssembly = undefined
  g[WASM_DISABLED] = true
}

function wasmSimd(wasm: WasmProbe | undefined): boolean {
  try {
    return wasm?.validate(SIMD_PROBE) === true
  } catch {
    return false
  }
}

/** Browser engine and product from a user agent string. */
export function parseUserAgent(ua: string): { engine: string; runtime: string; version: string | null } {
  const chrome = /(?:Chrome|Chromium|CriOS)\/([\d.]+)/.exec(ua)
  if (chrome) return { engine: 'V8', runtime: `Chrome ${chrome[1]}`, version: null }
  const firefox = /(?:Firefox|FxiOS)\/([\d.]+)/.exec(ua)
  if (firefox) return { engine: 'SpiderMonkey', runtime: `Firefox ${firefox[1]}`, version: null }
  const safari = /Version\/([\d.]+).*Safari\//.exec(ua)
  if (safari) return { engine: 'JavaScriptCore', runtime: `Safari ${safari[1]}`, version: null }
  if (ua.includes('AppleWebKit')) return { engine: 'JavaScriptCore', runtime: 'WebKit', version: null }
  return { engine: 'unknown', runtime: ua === '' ? 'unknown' : ua, version: null }
}

function nodeOs(g: RuntimeGlobals): typeof NodeOs | undefined {
  try {
    return g.process?.getBuiltinModule?.('node:os') as typeof NodeOs | undefined
  } catch {
    return undefined
  }
}

export function runtimeInfo(): RuntimeInfo {
  const g = globalThis as RuntimeGlobals
  const wasm = typeof g.WebAssembly?.validate === 'function' ? g.WebAssembly : undefined
  const common = {
    wasm: wasm !== undefined,
    wasmSimd: wasmSimd(wasm),
    wasmDisabled: (globalThis as Record<PropertyKey, unknown>)[WASM_DISABLED] === true,
    hardwareConcurrency: g.navigator?.hardwareConcurrency ?? null,
    userAgent: g.navigator?.userAgent ?? null,
  }
  const versions = g.process?.versions
  if (g.HermesInternal !== undefined) {
    const properties = g.HermesInternal.getRuntimeProperties?.() ?? {}
    return {
      kind: 'hermes',
      engine: 'Hermes',
      engineVersion: properties['OSS Release Version'] ?? null,
      runtime: 'Hermes',
      jit: false,
      os: null,
      cpu: null,
      ...common,
    }
  }
  if (versions?.node !== undefined) {
    const os = nodeOs(g)
    const flags = [...(g.process?.execArgv ?? []), g.process?.env?.NODE_OPTIONS ?? '']
    const bun = versions.bun
    return {
      kind: bun === undefined ? 'node' : 'bun',
      engine: bun === undefined ? 'V8' : 'JavaScriptCore',
      engineVersion: versions.v8 ?? versions.webkit ?? null,
      runtime: bun === undefined ? `node ${versions.node}` : `bun ${bun}`,
      jit: !flags.some((flag) => flag.includes('--jitless')),
      os: os === undefined ? null : `${os.type()} ${os.release()} ${os.arch()}`,
      cpu: os?.cpus()[0]?.model.trim() ?? null,
      ...common,
      hardwareConcurrency: os?.availableParallelism() ?? common.hardwareConcurrency,
    }
  }
  if (g.Deno?.version !== undefined) {
    return {
      kind: 'deno',
      engine: 'V8',
      engineVersion: g.Deno.version.v8 ?? null,
      runtime: `deno ${g.Deno.version.deno ?? '?'}`,
      jit: null,
      os: null,
      cpu: null,
      ...common,
    }
  }
  const browser = parseUserAgent(common.userAgent ?? '')
  return {
    kind: common.userAgent === null ? 'unknown' : 'browser',
    engine: browser.engine,
    engineVersion: browser.version,
    runtime: browser.runtime,
    // a page cannot see the engine's flags; V8 without JIT also has no WebAssembly
    jit: null,
    os: null,
    cpu: null,
    ...common,
  }
}

/** One line for reports: "node 24.21.0 (V8 13.6), JIT, WASM+SIMD, 2 cores, Linux 6.1 x64". */
export function describeRuntime(runtime: RuntimeInfo): string {
  const wasm = runtime.wasmDisabled
    ? 'WASM disabled'
    : runtime.wasm
      ? runtime.wasmSimd
        ? 'WASM+SIMD'
        : 'WASM (no SIMD)'
      : 'no WASM'
  const jit = runtime.jit === null ? 'JIT unknown' : runtime.jit ? 'JIT' : 'no JIT'
  const engine = `${runtime.engine}${runtime.engineVersion === null ? '' : ` ${runtime.engineVersion}`}`
  const cores = runtime.hardwareConcurrency === null ? '' : `, ${runtime.hardwareConcurrency} cores`
  const where = runtime.os ?? runtime.userAgent ?? ''
  return `${runtime.runtime} (${engine}), ${jit}, ${wasm}${cores}${where === '' ? '' : `, ${where}`}`
}
