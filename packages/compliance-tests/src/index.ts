export {
  BASE,
  compareMessages,
  hashOf,
  keyOf,
  type MessageInit,
  message,
  oldestFirst,
  type Paged,
  pageAll,
  tiedMessages,
  topicBloom,
  unionBloom,
} from './archive-fixtures.ts'
export { bytes, compareBytes, seededRandom, shuffled, toHex, utf8 } from './bytes.ts'
export {
  type CrashRecoveryOptions,
  type CrashTarget,
  crashRecoverySuite,
  type KilledWriter,
  runUntilKilled,
} from './crash-recovery.ts'
export { type FakeComponents, type FakeComponentsOptions, fakeComponents } from './fake-components.ts'
export { handlesLeftOpenBy } from './handles.ts'
export { keyValueStoreChecks, keyValueStoreSuite } from './key-value-store.ts'
export { lifecycleChecks, lifecycleSuite } from './lifecycle.ts'
export { messageArchiveChecks, messageArchiveSuite } from './message-archive.ts'
export {
  type OpenStore,
  type PersistentStore,
  type PersistentStoreSuiteOptions,
  persistentStoreChecks,
  persistentStoreSuite,
} from './persistent-store.ts'
export { type PluginSuiteOptions, pluginChecks, pluginSuite } from './plugin.ts'
export {
  activeResources,
  type Check,
  caught,
  grownResources,
  runCheck,
  settle,
  type TestSetup,
} from './setup.ts'
