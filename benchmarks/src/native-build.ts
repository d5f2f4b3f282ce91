/**
 * Builds benchmarks/native/reference.c with `cc -O3` (never -march=native: the figures must mean the
 * same on another machine of the same architecture) into benchmarks/.bench/, cached by a hash of
 * the sources, flags and compiler. OpenSSL's libcrypto and the libsecp256k1 sources vendored in the
 * npm `secp256k1` package are optional: whatever is missing only removes the cases that need it,
 * with the reason recorded.
 */
import { execFile } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'

const run = promisify(execFile)

export const NATIVE_DIR = fileURLToPath(new URL('../native/', import.meta.url))
export const CACHE_DIR = fileURLToPath(new URL('../.bench/', import.meta.url))

export type Feature = 'openssl' | 'secp256k1'

export interface NativeBuild {
  /** the reference program, or undefined when it could not be built at all */
  binary: string | undefined
  /** why there is no binary */
  error: string | undefined
  /** first line of `cc --version` */
  compiler: string | undefined
  /** the features left out, each with the reason */
  missing: Map<Feature, string>
}

const BASE_FLAGS = ['-O3', '-std=gnu11', '-Wall', '-Wextra']
const SOURCES = ['reference.c', 'bench.c', 'keccak.c', 'ref_keccak.c']
const FEATURE_SOURCES: Record<Feature, string[]> = {
  openssl: ['ref_openssl.c'],
  secp256k1: ['ref_secp256k1.c'],
}
const OPENSSL_AND_SECP_SOURCES = ['ref_ecies.c', 'ref_envelope.c', 'ref_ratchet.c']

/** The defines of the `secp256k1` package's binding.gyp, so both sides run the same library build. */
function secpDefines(): string[] {
  const common = [
    'ECMULT_GEN_PREC_BITS=4',
    'ECMULT_WINDOW_SIZE=15',
    'ENABLE_MODULE_ECDH=1',
    'ENABLE_MODULE_RECOVERY=1',
    'USE_ENDOMORPHISM=1',
    'USE_NUM_NONE=1',
    'USE_FIELD_INV_BUILTIN=1',
    'USE_SCALAR_INV_BUILTIN=1',
  ]
  const arch =
    process.arch === 'x64' && process.platform !== 'win32'
      ? ['HAVE___INT128=1', 'USE_ASM_X86_64=1', 'USE_FIELD_5X52=1', 'USE_SCALAR_4X64=1']
      : ['USE_FIELD_10X26=1', 'USE_SCALAR_8X32=1']
  return [...common, ...arch].map((define) => `-D${define}`)
}

function firstLine(text: string): string {
  return text.trim().split('\n')[0] ?? ''
}

/** The compiler's complaint, shortened to what a report line can hold. */
function failure(error: unknown): string {
  const stderr = (error as { stderr?: string }).stderr
  const text = stderr?.trim() ? stderr : error instanceof Error ? error.message : String(error)
  const lines = text
    .trim()
    .split('\n')
    .filter((line) => /error|not found|No such/i.test(line))
  return (lines[0] ?? firstLine(text)).slice(0, 200)
}

/** Writes `out` atomically, so a concurrent run (tests and bench) never executes half a binary. */
async function compileTo(out: string, cc: string, args: string[]): Promise<void> {
  const temporary = `${out}.${process.pid}.tmp`
  try {
    await run(cc, [...args, '-o', temporary], { cwd: NATIVE_DIR })
    await rename(temporary, out)
  } finally {
    await rm(temporary, { force: true })
  }
}

async function probeOpenssl(cc: string, cacheDir: string): Promise<string | undefined> {
  const source = join(cacheDir, `probe-openssl.${process.pid}.c`)
  await writeFile(
    source,
    '#include <openssl/evp.h>\n#include <openssl/kdf.h>\n' +
      '#if OPENSSL_VERSION_MAJOR < 3\n#error OpenSSL 3 is needed\n#endif\n' +
      'int main(void) { return EVP_MD_get_size(EVP_sha256()) == 32 ? 0 : 1; }\n',
  )
  try {
    await compileTo(join(cacheDir, 'probe-openssl'), cc, [source, '-lcrypto'])
    return undefined
  } catch (error) {
    return `OpenSSL 3 development files not usable (Debian: libssl-dev): ${failure(error)}`
  } finally {
    await rm(source, { force: true })
  }
}

/** The libsecp256k1 tree inside the npm `secp256k1` package that @parley/crypto depends on. */
export function secp256k1SourceDir(): string | undefined {
  const cryptoDir = join(NATIVE_DIR, '..', 'node_modules', '@parley', 'crypto')
  for (const from of [join(cryptoDir, 'package.json'), join(NATIVE_DIR, '..', 'package.json')]) {
    try {
      const packageJson = createRequire(from).resolve('secp256k1/package.json')
      const dir = join(dirname(packageJson), 'src', 'secp256k1')
      if (existsSync(join(dir, 'src', 'secp256k1.c'))) return dir
    } catch {
      // not resolvable from here; try the next place
    }
  }
  return undefined
}

function hashOf(parts: readonly (string | Buffer)[]): string {
  const hash = createHash('sha256')
  for (const part of parts) hash.update(part).update('\0')
  return hash.digest('hex').slice(0, 16)
}

async function buildSecpObject(cc: string, compiler: string, dir: string, cacheDir: string): Promise<string> {
  const source = join(dir, 'src', 'secp256k1.c')
  const args = ['-O3', '-w', ...secpDefines(), `-I${dir}`, `-I${join(dir, 'src')}`, '-c', source]
  const key = hashOf([
    compiler,
    ...args,
    await readFile(source),
    await readFile(join(dir, '..', '..', 'package.json')),
  ])
  const object = join(cacheDir, `secp256k1-${key}.o`)
  if (!existsSync(object)) await compileTo(object, cc, args)
  return object
}

/** Drops the binaries older sources left behind, so the cache does not grow with every edit. */
async function removeStale(current: string, cacheDir: string): Promise<void> {
  for (const name of await readdir(cacheDir)) {
    const path = join(cacheDir, name)
    if (/^reference-[0-9a-f]+$/.test(name) && path !== current) await rm(path, { force: true })
  }
}

/** Builds (or finds in the cache) the reference program. Never throws: failures are reported. */
export interface BuildOptions {
  /** the C compiler; default $CC, else `cc` */
  cc?: string
  /** where binaries are cached; default benchmarks/.bench */
  cacheDir?: string
}

export async function buildNative(options: BuildOptions = {}): Promise<NativeBuild> {
  const cc = options.cc ?? process.env.CC ?? 'cc'
  const cacheDir = options.cacheDir ?? CACHE_DIR
  const missing = new Map<Feature, string>()
  let compiler: string
  try {
    compiler = firstLine((await run(cc, ['--version'])).stdout)
  } catch (error) {
    const reason = `no C compiler (\`${cc}\`): ${failure(error)} (Debian: gcc, libc6-dev)`
    return { binary: undefined, error: reason, compiler: undefined, missing }
  }
  await mkdir(cacheDir, { recursive: true })

  const opensslProblem = await probeOpenssl(cc, cacheDir)
  if (opensslProblem !== undefined) missing.set('openssl', opensslProblem)
  let secpObject: string | undefined
  const secpDir = secp256k1SourceDir()
  if (secpDir === undefined)
    missing.set('secp256k1', 'libsecp256k1 sources not found (npm package `secp256k1`)')
  else {
    try {
      secpObject = await buildSecpObject(cc, compiler, secpDir, cacheDir)
    } catch (error) {
      missing.set('secp256k1', `libsecp256k1 did not compile: ${failure(error)}`)
    }
  }

  const sources = [...SOURCES]
  const flags = [...BASE_FLAGS]
  const libraries = ['-lm']
  if (!missing.has('openssl')) {
    sources.push(...FEATURE_SOURCES.openssl)
    flags.push('-DHAVE_OPENSSL')
    libraries.unshift('-lcrypto')
  }
  if (secpObject !== undefined && secpDir !== undefined) {
    sources.push(...FEATURE_SOURCES.secp256k1)
    flags.push('-DHAVE_SECP256K1', `-I${join(secpDir, 'include')}`)
    if (!missing.has('openssl')) sources.push(...OPENSSL_AND_SECP_SOURCES)
  }
  const objects = secpObject === undefined ? [] : [secpObject]
  const args = [...flags, ...sources, ...objects, ...libraries]
  const inputs = await Promise.all(
    (await readdir(NATIVE_DIR)).sort().map((name) => readFile(join(NATIVE_DIR, name))),
  )
  const binary = join(cacheDir, `reference-${hashOf([compiler, ...args, ...inputs])}`)
  try {
    if (!existsSync(binary)) {
      await compileTo(binary, cc, args)
      await removeStale(binary, cacheDir)
    }
    return { binary, error: undefined, compiler, missing }
  } catch (error) {
    return { binary: undefined, error: `reference.c did not compile: ${failure(error)}`, compiler, missing }
  }
}
