/**
 * The `parley` command, also usable as a library: `main(argv, io)` runs it in-process, and the
 * configuration schema and loader serve any program that configures a Parley node the same way.
 */
export { type LoadConfigInputs, type LoadedConfig, loadConfig } from './config/load.ts'
export type { ConfigOf, Option, OptionType, Schema } from './config/options.ts'
export { configPresets, PRESET_NAMES } from './config/presets.ts'
export type { ConfigInputs, Origin, Presets, ResolvedConfig } from './config/resolve.ts'
export { resolveConfig } from './config/resolve.ts'
export { configSchema, type ParleyConfig } from './config/schema.ts'
export type { DemoCheck, DemoContext } from './demo/check.ts'
export { demoChecks } from './demo/checks.ts'
export { type CheckResult, type RunChecksOptions, runChecks } from './demo/runner.ts'
export type { CliIo, TextSink } from './io.ts'
export { main } from './main.ts'
