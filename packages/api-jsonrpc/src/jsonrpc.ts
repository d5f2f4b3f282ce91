/**
 * JSON-RPC 2.0 framing: parse a request body (one call or a batch), dispatch each call to a
 * method table, and build the response body. Errors follow go-ethereum's codes and wording.
 */
import { type AbortOptions, ParleyError } from '@parley/interfaces'
import type { RpcSession } from './session.ts'

export const PARSE_ERROR = -32700
export const INVALID_REQUEST = -32600
export const METHOD_NOT_FOUND = -32601
export const INVALID_PARAMS = -32602
/** What go-ethereum answers for any error a method returns. */
export const SERVER_ERROR = -32000

/** An error with its JSON-RPC code; methods throw it to choose the code the caller sees. */
export class JsonRpcError extends ParleyError {
  static override readonly code = 'ERR_JSON_RPC'
  readonly rpcCode: number
  constructor(rpcCode: number, message: string, options?: { cause?: unknown }) {
    super(message, JsonRpcError.code, options)
    this.name = 'JsonRpcError'
    this.rpcCode = rpcCode
  }
}

/** What a method learns about its call besides the params. */
export interface CallContext extends AbortOptions {
  /** The WebSocket connection the call came on, for subscriptions; absent over HTTP. */
  session?: RpcSession
}

/** A method gets the positional params (`[]` when absent) and returns a JSON-serialisable result. */
export type RpcMethod = (params: readonly unknown[], context: CallContext) => unknown

export interface RpcErrorBody {
  code: number
  message: string
}

export type RpcResponse =
  | { jsonrpc: '2.0'; id: unknown; result: unknown }
  | { jsonrpc: '2.0'; id: unknown; error: RpcErrorBody }

export interface DispatchOptions extends CallContext {
  /** Told about errors that are not `JsonRpcError`s or `ParleyError`s (bugs, not caller mistakes). */
  onUnexpectedError?: (method: string, error: unknown) => void
}

/** Largest batch served, as go-ethereum's `BatchRequestLimit` default. */
export const MAX_BATCH = 1000

/**
 * Handles one HTTP body or WebSocket message. Returns the response text, or `undefined` when nothing is owed (only
 * notifications, i.e. calls without an `id`).
 */
export async function handleBody(
  body: string,
  methods: ReadonlyMap<string, RpcMethod>,
  options: DispatchOptions = {},
): Promise<string | undefined> {
  let parsed: unknown
  try {
    parsed = JSON.parse(body)
  } catch {
    return JSON.stringify(failure(null, PARSE_ERROR, 'parse error'))
  }
  if (!Array.isArray(parsed)) {
    const response = await dispatch(parsed, methods, options)
    return response === undefined ? undefined : JSON.stringify(response)
  }
  if (parsed.length === 0) return JSON.stringify(failure(null, INVALID_REQUEST, 'empty batch'))
  if (parsed.length > MAX_BATCH) {
    return JSON.stringify(failure(null, SERVER_ERROR, 'batch too large'))
  }
  const responses: RpcResponse[] = []
  // In order, one at a time: a batch may create a key and then use it.
  for (const call of parsed) {
    const response = await dispatch(call, methods, options)
    if (response !== undefined) responses.push(response)
  }
  return responses.length === 0 ? undefined : JSON.stringify(responses)
}

/** Runs one call; `undefined` for a notification. */
export async function dispatch(
  call: unknown,
  methods: ReadonlyMap<string, RpcMethod>,
  options: DispatchOptions = {},
): Promise<RpcResponse | undefined> {
  if (typeof call !== 'object' || call === null || Array.isArray(call)) {
    return failure(null, INVALID_REQUEST, 'invalid request')
  }
  const request = call as Record<string, unknown>
  const hasId = 'id' in request
  const id = validId(request.id) ? request.id : null
  if (request.jsonrpc !== '2.0' || typeof request.method !== 'string' || (hasId && !validId(request.id))) {
    return failure(id, INVALID_REQUEST, 'invalid request')
  }
  const name = request.method
  const method = methods.get(name)
  let response: RpcResponse
  if (method === undefined) {
    response = failure(id, METHOD_NOT_FOUND, `the method ${name} does not exist/is not available`)
  } else if (request.params !== undefined && request.params !== null && !Array.isArray(request.params)) {
    response = failure(id, INVALID_PARAMS, 'non-array args')
  } else {
    try {
      const params = (request.params as unknown[] | null | undefined) ?? []
      const result = await method(params, { signal: options.signal, session: options.session })
      response = { jsonrpc: '2.0', id, result: result ?? null }
    } catch (error) {
      response = failure(id, codeOf(error), messageOf(error))
      if (!(error instanceof ParleyError)) options.onUnexpectedError?.(name, error)
    }
  }
  return hasId ? response : undefined
}

function validId(id: unknown): boolean {
  return id === null || typeof id === 'string' || (typeof id === 'number' && Number.isFinite(id))
}

function codeOf(error: unknown): number {
  return error instanceof JsonRpcError ? error.rpcCode : SERVER_ERROR
}

function messageOf(error: unknown): string {
  // Only our own errors carry caller-facing text; anything else may hold internals.
  return error instanceof ParleyError ? error.message : 'internal error'
}

export function failure(id: unknown, code: number, message: string): RpcResponse {
  return { jsonrpc: '2.0', id, error: { code, message } }
}
