/**
 * Runs nonce searches in worker threads. Workers start on demand (up to `size`), are reused, and
 * do not keep a Node process alive while idle; `close()` terminates them. Aborting a search
 * rejects at once and tells the worker to stop at its next slice boundary.
 */
import { AbortError, type AbortOptions, NotStartedError, ParleyError } from '@parley/interfaces'
import type { PowKernelKind, PowSearchResult } from './kernel.ts'
import type { FromWorker } from './protocol.ts'
import type { SearchRequest } from './search.ts'
import { defaultWorkerFactory, type PowWorkerHandle } from './worker-handle.ts'

export interface PowWorkerPoolOptions {
  /** most workers running at once (default 1); further searches wait for a free worker */
  size?: number
  /** kernel the workers use (default 'auto': WebAssembly if the worker has it) */
  kernel?: PowKernelKind | 'auto'
  createWorker?: () => PowWorkerHandle | Promise<PowWorkerHandle>
}

interface Job {
  resolve(result: PowSearchResult): void
  reject(error: unknown): void
}

interface Slot {
  handle: PowWorkerHandle
  /** the job whose answer the worker owes us; it stays busy until then, even after an abort */
  jobId?: number
  job?: Job
}

export class PowWorkerPool {
  readonly #size: number
  readonly #kernel: PowKernelKind | 'auto'
  readonly #createWorker: () => PowWorkerHandle | Promise<PowWorkerHandle>
  readonly #slots = new Set<Slot>()
  readonly #idle: Slot[] = []
  readonly #waiting: Array<(granted: Slot | Error) => void> = []
  #starting = 0
  #nextId = 1
  #closed = false

  constructor(options: PowWorkerPoolOptions = {}) {
    this.#size = Math.max(1, options.size ?? 1)
    this.#kernel = options.kernel ?? 'auto'
    this.#createWorker = options.createWorker ?? defaultWorkerFactory
  }

  /** live workers, busy or idle */
  get workers(): number {
    return this.#slots.size
  }

  async search(request: SearchRequest, options: AbortOptions = {}): Promise<PowSearchResult> {
    const { signal } = options
    if (signal?.aborted) throw new AbortError()
    const slot = await this.#acquire(signal)
    if (signal?.aborted) {
      // aborted while a worker was starting or finishing its previous job
      this.#release(slot)
      throw new AbortError()
    }
    const id = this.#nextId++
    return new Promise<PowSearchResult>((resolve, reject) => {
      const onAbort = (): void => {
        slot.job = undefined
        slot.handle.postMessage({ type: 'cancel', id })
        reject(new AbortError())
      }
      signal?.addEventListener('abort', onAbort, { once: true })
      const settle = (): void => signal?.removeEventListener('abort', onAbort)
      slot.jobId = id
      slot.job = {
        resolve: (result) => {
          settle()
          resolve(result)
        },
        reject: (error) => {
          settle()
          reject(error)
        },
      }
      slot.handle.setActive(true)
      slot.handle.postMessage({ type: 'search', id, kernel: this.#kernel, ...request })
    })
  }

  async close(): Promise<void> {
    this.#closed = true
    for (const waiter of this.#waiting.splice(0)) waiter(new NotStartedError('The PoW worker pool is closed'))
    const slots = [...this.#slots]
    this.#slots.clear()
    this.#idle.length = 0
    for (const slot of slots) slot.job?.reject(new AbortError('The PoW worker pool was closed'))
    await Promise.all(slots.map((slot) => slot.handle.terminate()))
  }

  async #acquire(signal?: AbortSignal): Promise<Slot> {
    if (this.#closed) throw new NotStartedError('The PoW worker pool is closed')
    const idle = this.#idle.pop()
    if (idle !== undefined) return idle
    if (this.#slots.size + this.#starting < this.#size) return this.#start()
    const granted = await new Promise<Slot | Error>((resolve, reject) => {
      const onAbort = (): void => {
        this.#waiting.splice(this.#waiting.indexOf(take), 1)
        reject(new AbortError())
      }
      const take = (slot: Slot | Error): void => {
        signal?.removeEventListener('abort', onAbort)
        resolve(slot)
      }
      signal?.addEventListener('abort', onAbort, { once: true })
      this.#waiting.push(take)
    })
    if (granted instanceof Error) throw granted
    return granted
  }

  async #start(): Promise<Slot> {
    this.#starting++
    let handle: PowWorkerHandle
    try {
      handle = await this.#createWorker()
    } finally {
      this.#starting--
    }
    const slot: Slot = { handle }
    if (this.#closed) {
      await handle.terminate()
      throw new NotStartedError('The PoW worker pool is closed')
    }
    this.#slots.add(slot)
    handle.onMessage((message) => this.#onMessage(slot, message))
    handle.onError((error) => this.#onCrash(slot, error))
    return slot
  }

  #onMessage(slot: Slot, message: FromWorker): void {
    if (message.id !== slot.jobId) return
    const job = slot.job
    slot.jobId = undefined
    slot.job = undefined
    if (message.type === 'result') {
      job?.resolve({ bits: message.bits, nonce: message.nonce, hashes: message.hashes })
    } else if (message.type === 'error') {
      job?.reject(new ParleyError(`PoW worker failed: ${message.message}`, 'ERR_POW_WORKER'))
    }
    this.#release(slot)
  }

  #release(slot: Slot): void {
    if (!this.#slots.has(slot)) return
    const waiter = this.#waiting.shift()
    if (waiter !== undefined) {
      waiter(slot)
      return
    }
    slot.handle.setActive(false)
    this.#idle.push(slot)
  }

  #onCrash(slot: Slot, error: unknown): void {
    if (!this.#slots.delete(slot)) return
    const index = this.#idle.indexOf(slot)
    if (index >= 0) this.#idle.splice(index, 1)
    slot.job?.reject(new ParleyError('PoW worker died', 'ERR_POW_WORKER', { cause: error }))
    void slot.handle.terminate()
    // a waiter was counting on this worker: start a replacement for it
    if (this.#waiting.length > 0 && !this.#closed) {
      this.#start().then(
        (replacement) => this.#release(replacement),
        (err: unknown) => this.#waiting.shift()?.(err instanceof Error ? err : new Error(String(err))),
      )
    }
  }
}
