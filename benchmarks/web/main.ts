/**
 * The page: settings (also from the query string: ?rounds=1&ms=20&filter=keccak&nowasm=0&autorun=1),
 * progress, then the results table, one chart per hot path and the JSON download. When a run ends,
 * `document.documentElement.dataset.state` is 'done' (or 'error') and the document is on
 * `window.parleyBenchResults`, for the headless test.
 */
import { chartGroups, escapeXml, renderGroupSvg } from '../src/chart.ts'
import type { Progress } from '../src/harness.ts'
import { type ResultsDocument, type ResultsPass, resultsDocument, validateResults } from '../src/results.ts'
import { describeRuntime } from '../src/runtime.ts'
import type { RunRequest, WorkerMessage } from './protocol.ts'

declare global {
  interface Window {
    parleyBenchResults?: ResultsDocument
    parleyBenchErrors?: string[]
  }
}

const element = <T extends HTMLElement>(id: string) => document.getElementById(id) as T
const form = element<HTMLFormElement>('settings')
const status = element<HTMLParagraphElement>('status')
const bar = element<HTMLProgressElement>('progress')
const download = element<HTMLAnchorElement>('download')

function setState(state: 'idle' | 'running' | 'done' | 'error'): void {
  document.documentElement.dataset.state = state
}

function runWorker(request: RunRequest, onProgress: (p: Progress) => void): Promise<ResultsPass> {
  const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' })
  return new Promise<ResultsPass>((resolve, reject) => {
    worker.addEventListener('message', (event: MessageEvent<WorkerMessage>) => {
      const message = event.data
      if (message.type === 'progress') onProgress(message.progress)
      else if (message.type === 'pass') resolve(message.pass)
      else reject(new Error(message.message))
    })
    worker.addEventListener('error', (event) =>
      reject(new Error(event.message || 'the worker failed to load')),
    )
    worker.postMessage(request)
  }).finally(() => worker.terminate())
}

function figure(value: number | null): string {
  if (value === null) return '—'
  if (value >= 1e6) return `${(value / 1e6).toPrecision(3)}M`
  if (value >= 1e3) return `${(value / 1e3).toPrecision(3)}k`
  return value.toPrecision(3)
}

function resultsTable(document: ResultsDocument): string {
  const sections = document.passes.map((pass) => {
    const rows = pass.cases.map((c) =>
      c.status === 'skipped'
        ? `<tr><td>${escapeXml(c.id)}</td><td class="text" colspan="5">skipped: ${escapeXml(c.skipReason ?? '')}</td></tr>`
        : `<tr><td>${escapeXml(c.id)}</td><td class="text">${escapeXml(c.provider ?? '')}</td><td class="text">${c.unit}</td><td>${figure(c.median)}</td><td>${figure(c.min)}</td><td>${figure(c.max)}</td></tr>`,
    )
    return `<h2>${escapeXml(describeRuntime(pass.runtime))}</h2><table><tr><th>case</th><th>provider</th><th>unit</th><th>median</th><th>min</th><th>max</th></tr>${rows.join('')}</table>`
  })
  return sections.join('')
}

async function start(request: Omit<RunRequest, 'noWasm'>, noWasmPass: boolean): Promise<void> {
  setState('running')
  download.hidden = true
  const passes: ResultsPass[] = []
  const plan = noWasmPass ? [false, true] : [false]
  for (const [index, noWasm] of plan.entries()) {
    const pass = await runWorker({ ...request, noWasm }, (p) => {
      const within = (p.round * p.cases + p.caseIndex) / ((p.rounds + 1) * p.cases)
      bar.value = (index + within) / plan.length
      const round = p.round === 0 ? 'warm-up' : `round ${p.round}/${p.rounds}`
      status.textContent = `${noWasm ? 'no-WASM pass' : 'pass 1'}: ${round}, case ${p.caseIndex}/${p.cases} ${p.id}`
    })
    passes.push(pass)
  }
  const settings = {
    rounds: request.rounds,
    sliceMs: request.sliceMs,
    operations: null,
    filter: request.filter ?? null,
  }
  const results = resultsDocument('wall-clock', settings, passes)
  const errors = validateResults(results)
  window.parleyBenchErrors = errors
  window.parleyBenchResults = results
  bar.value = 1
  status.textContent =
    errors.length === 0
      ? `done: ${describeRuntime(passes[0]!.runtime)}`
      : `schema errors: ${errors.join('; ')}`
  element('results').innerHTML = resultsTable(results)
  element('charts').innerHTML = chartGroups([results])
    .map((group) => renderGroupSvg(group))
    .join('\n')
  download.href = URL.createObjectURL(
    new Blob([JSON.stringify(results, null, 2)], { type: 'application/json' }),
  )
  download.hidden = false
  setState(errors.length === 0 ? 'done' : 'error')
}

function settingsFrom(data: URLSearchParams | FormData) {
  const number = (name: string, fallback: number) => {
    const value = Number(data.get(name) ?? Number.NaN)
    return Number.isFinite(value) && value > 0 ? value : fallback
  }
  const filter = String(data.get('filter') ?? '').trim()
  return {
    request: {
      rounds: Math.round(number('rounds', 5)),
      sliceMs: number('ms', 200),
      filter: filter || undefined,
    },
    noWasmPass: !['0', 'false', null].includes(data.get('nowasm') as string | null),
  }
}

function launch(settings: ReturnType<typeof settingsFrom>): void {
  start(settings.request, settings.noWasmPass).catch((error: unknown) => {
    status.textContent = `failed: ${error instanceof Error ? error.message : String(error)}`
    setState('error')
  })
}

form.addEventListener('submit', (event) => {
  event.preventDefault()
  const data = new FormData(form)
  if (!data.has('nowasm')) data.set('nowasm', '0')
  launch(settingsFrom(data))
})

const query = new URLSearchParams(location.search)
for (const name of ['rounds', 'ms', 'filter']) {
  const value = query.get(name)
  const input = form.elements.namedItem(name) as HTMLInputElement | null
  if (value !== null && input !== null) input.value = value
}
if (query.get('nowasm') === '0') (form.elements.namedItem('nowasm') as HTMLInputElement).checked = false
setState('idle')
if (query.get('autorun') === '1') launch(settingsFrom(query))
