/** The key methods: key pairs and symmetric keys held by the node under random ids. */
import { generatePrivateKey, randomBytes } from '@parley/crypto'
import { symKeyFromPassword } from '@parley/envelope'
import { NotFoundError } from '@parley/interfaces'
import { hex } from './filters.ts'
import type { RpcMethod } from './jsonrpc.ts'
import type { NamespaceContext } from './namespace.ts'
import { arity, hexBytes, text } from './params.ts'

/** The single id argument of most key and filter calls. */
export function idParam(params: readonly unknown[]): string {
  arity(params, 1)
  return text(params[0], 0)
}

export function keyMethods(context: NamespaceContext): Record<string, RpcMethod> {
  const { keys, secp256k1 } = context
  return {
    newKeyPair: (params) => {
      arity(params, 0)
      return keys.addPrivateKey(generatePrivateKey())
    },
    addPrivateKey: (params) => {
      arity(params, 1)
      return keys.addPrivateKey(hexBytes(params[0], 0))
    },
    deleteKeyPair: (params) => {
      const id = idParam(params)
      if (!keys.deleteKeyPair(id)) throw new NotFoundError(`key pair ${id} not found`)
      return true
    },
    hasKeyPair: (params) => keys.hasKeyPair(idParam(params)),
    getPublicKey: (params) => hex(secp256k1().getPublicKey(keys.privateKey(idParam(params)), false)),
    getPrivateKey: (params) => hex(keys.privateKey(idParam(params))),

    newSymKey: (params) => {
      arity(params, 0)
      return keys.addSymKey(randomBytes(32))
    },
    addSymKey: (params) => {
      arity(params, 1)
      return keys.addSymKey(hexBytes(params[0], 0))
    },
    generateSymKeyFromPassword: async (params, { signal }) => {
      arity(params, 1)
      const password = text(params[0], 0)
      return keys.addSymKey(await symKeyFromPassword(password, { signal }))
    },
    hasSymKey: (params) => keys.hasSymKey(idParam(params)),
    getSymKey: (params) => hex(keys.rawSymKey(idParam(params))),
    deleteSymKey: (params) => keys.deleteSymKey(idParam(params)),
  }
}
