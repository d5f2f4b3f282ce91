import { createInterface } from 'node:readline'

/** Where a command reads and writes, injectable so tests run `main` in-process. */
export interface TextSink {
  write(text: string): unknown
}

export interface CliIo {
  stdout: TextSink
  stderr: TextSink
  env: Readonly<Record<string, string | undefined>>
  /**
   * Ends long-running commands (`start`) gracefully. When absent, `main` ends them on SIGINT or
   * SIGTERM.
   */
  signal?: AbortSignal
  /**
   * Lines of standard input, for interactive commands (`chat`), until the input ends or `signal`
   * aborts; opened only when called, so other commands never hold standard input open.
   */
  lines?: (signal: AbortSignal) => AsyncIterable<string>
}

export function processIo(): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    lines: (signal) => {
      const reader = createInterface({ input: process.stdin, crlfDelay: Number.POSITIVE_INFINITY, signal })
      // A closed reader leaves stdin open, and an open pipe would keep the process alive.
      reader.once('close', () => process.stdin.destroy())
      return reader
    },
  }
}

export function writeLine(sink: TextSink, line = ''): void {
  sink.write(`${line}\n`)
}
