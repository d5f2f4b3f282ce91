/** Runs the native reference program: one process per slice, `reference <case> <ms> <offset>`. */
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { type AbortOptions, DecodeError, UnsupportedError } from '@parley/interfaces'
import { type BuildOptions, buildNative, type Feature, type NativeBuild } from './native-build.ts'
import type { ReferenceRunner, SliceResult } from './types.ts'

const run = promisify(execFile)

/** Which optional library each reference case needs, by id prefix. */
const NEEDS: ReadonlyArray<[prefix: string, features: Feature[]]> = [
  ['ecies-', ['openssl', 'secp256k1']],
  ['receive-pipeline', ['openssl', 'secp256k1']],
  ['secp256k1-', ['secp256k1']],
  ['aes-', ['openssl']],
  ['hmac-', ['openssl']],
  ['hkdf-', ['openssl']],
  ['pbkdf2-', ['openssl']],
]

/** What the build says about itself (`reference --info`). */
export interface NativeInfo {
  compiler: string | undefined
  /** libcrypto's version string, or undefined without OpenSSL */
  openssl: string | undefined
  secp256k1: boolean
}

/** Parses "<value> <unit>" and the optional "p90 <ms>" / "samples <n>" lines. */
export function parseReferenceOutput(stdout: string): SliceResult {
  const lines = stdout.trim().split('\n')
  const value = Number(lines[0]?.split(' ')[0])
  if (!Number.isFinite(value)) throw new DecodeError(`unexpected reference output: ${JSON.stringify(stdout)}`)
  const field = (name: string) => {
    const line = lines.find((candidate) => candidate.startsWith(`${name} `))
    return line === undefined ? undefined : Number(line.slice(name.length + 1))
  }
  return { value, p90: field('p90'), samples: field('samples') ?? 0 }
}

export class NativeReference implements ReferenceRunner {
  readonly build: NativeBuild
  readonly cases: ReadonlyMap<string, string>
  readonly info: NativeInfo

  private constructor(build: NativeBuild, cases: ReadonlyMap<string, string>, info: NativeInfo) {
    this.build = build
    this.cases = cases
    this.info = info
  }

  /** Builds (or reuses) the reference program and lists its cases. Never throws. */
  static async create(options: BuildOptions = {}): Promise<NativeReference> {
    const build = await buildNative(options)
    const cases = new Map<string, string>()
    const info: NativeInfo = { compiler: build.compiler, openssl: undefined, secp256k1: false }
    if (build.binary === undefined) return new NativeReference(build, cases, info)
    try {
      for (const line of (await run(build.binary, ['--list'])).stdout.trim().split('\n')) {
        const [id, unit] = line.split(' ')
        if (id && unit) cases.set(id, unit)
      }
      for (const line of (await run(build.binary, ['--info'])).stdout.trim().split('\n')) {
        const [key, ...rest] = line.split(' ')
        const value = rest.join(' ')
        if (key === 'openssl' && value !== 'none') info.openssl = value
        if (key === 'secp256k1') info.secp256k1 = value === 'yes'
      }
    } catch (error) {
      const reason = `the reference program does not run: ${error instanceof Error ? error.message : error}`
      return new NativeReference({ ...build, binary: undefined, error: reason }, new Map(), info)
    }
    return new NativeReference(build, cases, info)
  }

  unavailable(id: string): string | undefined {
    if (this.build.binary === undefined) return this.build.error
    if (this.cases.has(id)) return undefined
    const needs = NEEDS.find(([prefix]) => id.startsWith(prefix))?.[1] ?? []
    const reasons = needs.flatMap((feature) => this.build.missing.get(feature) ?? [])
    return reasons.length > 0 ? reasons.join('; ') : `the reference program has no case ${id}`
  }

  async measure(id: string, ms: number, offset: number, options: AbortOptions = {}): Promise<SliceResult> {
    const binary = this.build.binary
    if (binary === undefined) throw new UnsupportedError(this.build.error ?? 'no reference program')
    const { stdout } = await run(binary, [id, String(ms), String(offset)], {
      timeout: ms + 60_000,
      signal: options.signal,
    })
    return parseReferenceOutput(stdout)
  }

  /** Runs `reference --selftest`; rejects with the program's stderr when a check fails. */
  async selftest(): Promise<string> {
    if (this.build.binary === undefined)
      throw new UnsupportedError(this.build.error ?? 'no reference program')
    return (await run(this.build.binary, ['--selftest'])).stdout.trim()
  }

  /** The nonce the native seal cases find for envelope `index`, and the bits they aim at. */
  async sealNonce(pow: number, ttl: number, index: number): Promise<{ nonce: bigint; targetBits: number }> {
    if (this.build.binary === undefined)
      throw new UnsupportedError(this.build.error ?? 'no reference program')
    const { stdout } = await run(this.build.binary, ['--seal', String(pow), String(ttl), String(index)])
    const [nonce, bits] = stdout.trim().split(' ')
    return { nonce: BigInt(nonce ?? ''), targetBits: Number(bits) }
  }
}
