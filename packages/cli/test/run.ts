import { get } from 'node:http'
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

/** Runs `parley start` until `until(stdout)` holds, hands the output to `during`, then sends the stop signal. */
export async function whileStarted(
  argv: string[],
  until: (stdout: string) => boolean,
  during: (stdout: string) => Promise<void>,
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const controller = new AbortController()
  let stdout = ''
  let stderr = ''
  let ready: () => void = () => {}
  const started = new Promise<void>((resolve) => {
    ready = resolve
  })
  const exit = main(['start', ...argv], {
    stdout: {
      write: (text: string) => {
        stdout += text
        if (until(stdout)) ready()
      },
    },
    stderr: { write: (text: string) => (stderr += text) },
    env,
    signal: controller.signal,
  })
  await Promise.race([
    started,
    exit.then((code) => Promise.reject(new Error(`start exited ${code}: ${stderr}`))),
  ])
  try {
    await during(stdout)
  } finally {
    controller.abort()
  }
  return { code: await exit, stdout, stderr }
}

/** GET `url` once, without keep-alive. */
export function scrape(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    get(url, { agent: false }, (response) => {
      let body = ''
      response.setEncoding('utf8')
      response.on('data', (chunk: string) => {
        body += chunk
      })
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }))
    }).on('error', reject)
  })
}
