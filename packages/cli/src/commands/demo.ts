import type { DemoCheck } from '../demo/check.ts'
import { demoChecks } from '../demo/checks.ts'
import { reportJson, resultLine, summaryLine } from '../demo/report.ts'
import { runChecks } from '../demo/runner.ts'
import { EXIT_FAILURE, EXIT_OK } from '../errors.ts'
import { writeLine } from '../io.ts'
import { loggerFor } from '../node/compose.ts'
import { type Command, defineCommand, requireConfig } from './command.ts'

/** The `demo` command over `checks`; tests pass their own list. */
export function createDemoCommand(checks: readonly DemoCheck[] = demoChecks): Command {
  return defineCommand({
    name: 'demo',
    summary: 'Run the scripted loopback scenario; the last line is {"demo":"parley","checks":[…]}',
    description: [
      'Composes nodes from the plugins that exist, runs each scripted check on 127.0.0.1 (each with a',
      '20 s limit) and prints one ✓/✗ line per check, a summary, and finally one JSON line:',
      '{"demo":"parley","checks":[{"name":…,"ok":true,"ms":…,"detail"?:…,"error"?:…}]}.',
      'Exits 0 only if every check passed. Logs go to standard error at level warn unless',
      '--log-level says otherwise.',
    ].join('\n'),
    flags: {},
    usesConfig: true,
    async run(context) {
      const { io, signal } = context
      const loaded = requireConfig(context)
      // Node logs would bury the summary: only warnings, unless the user chose a level.
      const level = loaded.origins['log-level'] === 'default' ? 'warn' : loaded.values['log-level']
      const logger = loggerFor({ ...loaded.values, 'log-level': level }, io.stderr)
      const width = Math.max(...checks.map((check) => check.name.length))

      writeLine(io.stdout, `parley demo: ${checks.length} checks on 127.0.0.1`)
      const results = await runChecks(
        checks,
        { config: loaded.values, logger },
        { signal, onResult: (result) => writeLine(io.stdout, resultLine(result, width)) },
      )
      writeLine(io.stdout, summaryLine(results))
      writeLine(io.stdout, reportJson(results))
      return results.every((result) => result.ok) ? EXIT_OK : EXIT_FAILURE
    },
  })
}

export const demoCommand = createDemoCommand()
