/**
 * Runs one pass of the portable cases off the main thread, so the page stays responsive and the
 * timer is not throttled with the tab's rendering. One worker per pass: a no-WASM pass needs a
 * realm whose providers never saw WebAssembly.
 */
import { disableWasm } from '../src/runtime.ts'
import type { RunRequest, WorkerMessage } from './protocol.ts'

const post = (message: WorkerMessage) => postMessage(message)

async function run(request: RunRequest): Promise<void> {
  // before the case modules load: providers look for WebAssembly when they are evaluated
  if (request.noWasm) disableWasm()
  const { nodeOnlyRecords, portableCases } = await import('../src/cases/portable.ts')
  const { selectCases } = await import('../src/harness.ts')
  const { noReference, runPass } = await import('../src/pass.ts')
  const cases = selectCases(await portableCases(), request.filter)
  const pass = await runPass({
    cases,
    reference: noReference('no native reference in a browser (the C program runs under Node only)'),
    rounds: request.rounds,
    sliceMs: request.sliceMs,
    skipped: nodeOnlyRecords(request.filter),
    onProgress: (progress) => post({ type: 'progress', progress }),
  })
  post({ type: 'pass', pass })
}

addEventListener('message', (event: MessageEvent<RunRequest>) => {
  run(event.data).catch((error: unknown) =>
    post({
      type: 'error',
      message: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
    }),
  )
})
