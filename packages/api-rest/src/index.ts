/**
 * The Waku REST API as nwaku serves it (debug, health, admin, relay, store, filter, lightpush),
 * over the waku2 capabilities of `@parley/interfaces`. See README.md.
 */
export { MessageCache } from './cache.ts'
export { BadRequestError, messageFromJson, messageToJson, parseJson, toJson } from './json.ts'
export {
  DEFAULT_REST_ADDRESS,
  DEFAULT_REST_PORT,
  type RestApiInit,
  restApi,
  restApiSettings,
} from './plugin.ts'
export { type RestApiComponents, RestApiServer, RestServerError, type RestServerSettings } from './server.ts'
export type { RestServices } from './services.ts'
