/** `parley topic <name>`: the 4-byte topic Status derives from a chat name. */
import { topicFromName, topicToHex } from '@parley/envelope'
import { EXIT_OK } from '../errors.ts'
import { writeLine } from '../io.ts'
import { defineCommand } from './command.ts'

export const topicCommand = defineCommand({
  name: 'topic',
  summary: 'Print the Whisper/Waku v1 topic of a name, keccak256(name)[:4], as JSON',
  description: [
    'Prints {"name":"<name>","topic":"0x<8 hex>"}: the first 4 bytes of keccak256 of the UTF-8 name,',
    'the topic Status uses for a public chat of that name (`parley topic status`). Put `--` before a',
    'name that starts with a dash.',
  ].join('\n'),
  arguments: [{ name: 'name', description: 'The chat or topic name, as UTF-8 text.' }],
  flags: {},
  usesConfig: false,
  async run({ io, args }) {
    const name = args[0] ?? ''
    writeLine(io.stdout, JSON.stringify({ name, topic: topicToHex(topicFromName(name)) }))
    return EXIT_OK
  },
})
