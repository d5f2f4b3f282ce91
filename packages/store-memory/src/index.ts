export { MemoryKeyValueStore } from './key-value-store.ts'
export { MemoryStore, type MemoryStoreInit, memoryStore } from './memory-store.ts'
export { MemoryMessageArchive, type MemoryMessageArchiveInit } from './message-archive.ts'
