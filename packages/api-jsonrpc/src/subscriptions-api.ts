/**
 * `<ns>_subscribe("messages", criteria)` and `<ns>_unsubscribe(id)` over WebSocket, as go-ethereum's
 * RPC server does them: the result is a subscription id, and each message that passes the criteria
 * arrives as a `<ns>_subscription` notification on the same connection. Over HTTP there is no
 * connection to notify, so both calls answer go-ethereum's "notifications not supported".
 */
import type { Subscription } from '@parley/interfaces'
import { JsonRpcError, METHOD_NOT_FOUND, type RpcMethod, SERVER_ERROR } from './jsonrpc.ts'
import { criteriaParam } from './messages-api.ts'
import type { NamespaceContext } from './namespace.ts'
import { arity, invalidParams, text } from './params.ts'
import type { RpcSession } from './session.ts'

function sessionOf(session: RpcSession | undefined): RpcSession {
  if (session === undefined || session.closed)
    throw new JsonRpcError(METHOD_NOT_FOUND, 'notifications not supported')
  return session
}

export function subscriptionMethods(context: NamespaceContext): Record<string, RpcMethod> {
  const namespace = context.spec.name
  return {
    subscribe: async (params, { signal, session }) => {
      const connection = sessionOf(session)
      if (typeof params[0] !== 'string') throw invalidParams('expected subscription name as first argument')
      if (params[0] !== 'messages')
        throw new JsonRpcError(METHOD_NOT_FOUND, `no "${params[0]}" subscription in ${namespace} namespace`)
      arity(params, 2)
      const criteria = criteriaParam(context, params[1], 1)
      // Registered before the protocol subscription exists: messages can arrive while it starts.
      const id = connection.newId()
      let subscription: Subscription | undefined
      connection.add(id, async () => subscription?.unsubscribe())
      try {
        subscription = await context.filters.watch(
          criteria,
          (message) => connection.notify(namespace, id, message),
          { signal },
        )
      } catch (error) {
        await connection.remove(id)
        throw error
      }
      // The connection closed meanwhile: nobody will cancel it later.
      if (!connection.has(id)) await subscription.unsubscribe()
      return id
    },
    unsubscribe: async (params, { session }) => {
      const connection = sessionOf(session)
      arity(params, 1)
      if (!(await connection.remove(text(params[0], 0))))
        throw new JsonRpcError(SERVER_ERROR, 'subscription not found')
      return true
    },
  }
}
