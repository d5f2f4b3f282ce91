/**
 * `parley bench` and `parley bench serve`: the benchmark suite (benchmarks/ in the repository) from
 * the CLI, for a device that only has Node (Termux), and the browser runner served to a phone on
 * the same network. The suite is a private workspace package, so it is found next to this package
 * in a checkout (`pnpm build` compiles it) rather than imported by name.
 */
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { NotFoundError } from '@parley/interfaces'
import { boolOption, intOption, stringOption } from '../config/options.ts'
import { EXIT_OK } from '../errors.ts'
import { writeLine } from '../io.ts'
import { defineCommand } from './command.ts'

/** benchmarks/dist in the checkout this CLI runs from (packages/cli/{src,dist}/commands → root). */
export function benchmarksDist(): URL {
  return new URL('../../../../benchmarks/dist/', import.meta.url)
}

function benchFile(name: string): string {
  const file = fileURLToPath(new URL(name, benchmarksDist()))
  if (!existsSync(file))
    throw new NotFoundError(`${file} is missing: run this from a Parley checkout after \`pnpm build\``)
  return file
}

const runFlags = {
  filter: stringOption({ placeholder: 'substring', description: 'Run only the cases whose id contains it.' }),
  rounds: intOption({ default: 7, min: 1, description: 'Measured rounds (a warm-up round comes first).' }),
  ms: intOption({ default: 300, min: 1, description: 'Slice per case and side in each round, ms.' }),
  results: stringOption({
    placeholder: 'file',
    description: 'Write the results document (the schema bench:compare, bench:report and the page use).',
  }),
  matrix: boolOption({ default: false, description: 'Run every case again without WebAssembly.' }),
  'no-wasm': boolOption({ default: false, description: 'Remove WebAssembly before loading providers.' }),
  instructions: boolOption({
    default: false,
    description: 'Count instructions per operation under valgrind instead of timing.',
  }),
  ops: intOption({
    default: 1,
    min: 1,
    description: 'Least operations per instruction-count segment (grown to 150 ms under valgrind).',
  }),
  list: boolOption({ default: false, description: 'Print the case ids and exit.' }),
}

export const benchCommand = defineCommand({
  name: 'bench',
  summary: 'Run the benchmark suite in this Node (phones via Termux): table on stdout, --results JSON',
  description: [
    'Runs the cases of benchmarks/ (keccak256, PoW, secp256k1, ECIES, AES-GCM, HMAC, HKDF, PBKDF2,',
    'envelopes, relay ...) with every crypto provider that loads, against the native C reference',
    'where a C compiler is present, exactly as `pnpm bench` does; see docs/BENCHMARKS.md. Needs a',
    'built checkout. `parley bench serve` serves the browser runner instead.',
  ].join('\n'),
  flags: runFlags,
  usesConfig: false,
  async run({ io, flags, signal }) {
    const args = [
      ...(flags.filter === undefined ? [] : ['--filter', flags.filter]),
      ...['--rounds', String(flags.rounds), '--ms', String(flags.ms), '--ops', String(flags.ops)],
      ...(flags.results === undefined ? [] : ['--results', flags.results]),
      ...(flags.matrix ? ['--matrix'] : []),
      ...(flags['no-wasm'] ? ['--no-wasm'] : []),
      ...(flags.instructions ? ['--instructions'] : []),
      ...(flags.list ? ['--list'] : []),
    ]
    const child = spawn(process.execPath, [benchFile('run.js'), ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      signal,
    })
    child.stdout.on('data', (chunk: Buffer) => io.stdout.write(chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => io.stderr.write(chunk.toString()))
    const code = await new Promise<number>((resolve) => {
      child.on('error', () => resolve(1))
      child.on('close', (exit) => resolve(exit ?? 1))
    })
    return code
  },
})

interface ServeModule {
  serveBenchPage(options: { dir?: string; host?: string; port?: number }): Promise<{
    url: string
    close(): Promise<void>
  }>
}

export const benchServeCommand = defineCommand({
  name: 'bench serve',
  summary: 'Serve the browser benchmark page (pnpm bench:web builds it) for a phone on this network',
  description: [
    'Serves benchmarks/web/dist over HTTP until Ctrl-C. Bound to 127.0.0.1 unless --host says',
    'otherwise: `--host 0.0.0.0` lets a phone on the same network open http://<this machine>:<port>/',
    'and run the suite in its browser; the page offers the results as JSON.',
  ].join('\n'),
  flags: {
    host: stringOption({
      default: '127.0.0.1',
      placeholder: 'address',
      description: 'Address to listen on.',
    }),
    port: intOption({ default: 8377, min: 0, max: 65535, description: 'TCP port; 0 picks a free one.' }),
    dir: stringOption({
      placeholder: 'path',
      description: 'Serve this directory instead of benchmarks/web/dist.',
    }),
  },
  usesConfig: false,
  async run({ io, flags, signal }) {
    const module = (await import(new URL('serve.js', benchmarksDist()).href).catch(() => {
      benchFile('serve.js')
      throw new NotFoundError('benchmarks/dist/serve.js did not load')
    })) as ServeModule
    const server = await module.serveBenchPage({ dir: flags.dir, host: flags.host, port: flags.port })
    writeLine(io.stdout, `serving the benchmark page on ${server.url} (Ctrl-C stops)`)
    if (flags.host === '127.0.0.1')
      writeLine(io.stdout, 'only this machine can open it; --host 0.0.0.0 lets a phone on the network in')
    await new Promise<void>((resolve) => {
      if (signal.aborted) resolve()
      else signal.addEventListener('abort', () => resolve(), { once: true })
    })
    await server.close()
    return EXIT_OK
  },
})

export const benchCommands = [benchCommand, benchServeCommand]
