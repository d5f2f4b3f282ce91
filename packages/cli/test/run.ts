import { main } from '../src/main.ts'

export interface RunResult {
  code: number
  stdout: string
  stderr: string
}

/** Runs `parley <argv>` in-process with captured output and only the given environment. */
export async function runCli(
  argv: readonly string[],
  env: Record<string, string> = {},
  signal?: AbortSignal,
): Promise<RunResult> {
  let stdout = ''
  let stderr = ''
  const code = await main(argv, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    env,
    signal,
  })
  return { code, stdout, stderr }
}
