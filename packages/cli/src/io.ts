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
   * Lines of standard input, for interactive commands (`chat`); opened only when called, so other
   * commands never hold standard input open.
   */
  lines?: () => AsyncIterable<string>
}

export function processIo(): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    lines: () => createInterface({ input: process.stdin, crlfDelay: Number.POSITIVE_INFINITY }),
  }
}

export function writeLine(sink: TextSink, line = ''): void {
  sink.write(`${line}\n`)
}
