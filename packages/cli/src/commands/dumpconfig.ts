import { configToJson, configToToml } from '../config/dump.ts'
import { enumOption } from '../config/options.ts'
import { configSchema } from '../config/schema.ts'
import { EXIT_OK } from '../errors.ts'
import { writeLine } from '../io.ts'
import { defineCommand, requireConfig } from './command.ts'

export const dumpconfigCommand = defineCommand({
  name: 'dumpconfig',
  summary: 'Print the effective configuration (TOML, or JSON with --format json)',
  description: [
    'Resolves the configuration exactly as `parley start` would (flags > PARLEY_* environment >',
    '--config-file > defaults) and prints it. The TOML output is a valid --config-file; secrets',
    '(nodekey) and unset options are left out.',
  ].join('\n'),
  flags: {
    format: enumOption({ values: ['toml', 'json'], default: 'toml', description: 'Output format.' }),
  },
  usesConfig: true,
  async run(context) {
    const { io, flags } = context
    const { values } = requireConfig(context)
    const text =
      flags.format === 'json'
        ? configToJson(configSchema, values)
        : configToToml(configSchema, values).trimEnd()
    writeLine(io.stdout, text)
    return EXIT_OK
  },
})
