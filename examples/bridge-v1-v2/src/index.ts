/** The bridge walk-through: run it with `pnpm start` (dist/run.js) or import `runWalkthrough`. */
export * from './apps.ts'
export { runWalkthrough, type WalkthroughResult } from './walkthrough.ts'
