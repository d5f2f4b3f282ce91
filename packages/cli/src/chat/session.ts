/**
 * The terminal side of `parley chat`: one line in, one action on the messenger; every messenger
 * event out as one line. Lines are meant for people and scripts alike: a keyword, then fields
 * separated by spaces, the free text last.
 */
import type { Chat, Messenger, MessengerEvents } from '@parley/chat'
import { type AbortOptions, InvalidParametersError } from '@parley/interfaces'
import { type TextSink, writeLine } from '../io.ts'

export const CHAT_HELP = [
  '/join <name>                 join a public chat and make it current',
  '/msg <pubkey> <text>         start (or reuse) a one-to-one chat, send <text>, make it current',
  '/group <name> <pubkey,…>     create a private group with those members and make it current',
  '/chats                       list chats (* marks the current one)',
  '/switch <chatId|name>        make another chat current',
  '/history                     ask the mailserver (--mailnode) or store node (--store-node) again',
  '/quit                        stop the node and exit (so does closing standard input)',
  '<text>                       send to the current chat',
]

export type LineOutcome = 'continue' | 'quit'

export class ChatSession {
  readonly #messenger: Messenger
  readonly #out: TextSink
  #current: string | undefined

  constructor(messenger: Messenger, out: TextSink) {
    this.#messenger = messenger
    this.#out = out
  }

  get current(): string | undefined {
    return this.#current
  }

  /** Prints every messenger event until `signal` aborts. */
  follow(signal: AbortSignal): void {
    const on = <K extends keyof MessengerEvents & string>(
      type: K,
      print: (detail: MessengerEvents[K]) => string,
    ) =>
      this.#messenger.addEventListener(type, (event) => writeLine(this.#out, print(event.detail)), { signal })
    on('message:received', (m) => `received ${m.chatId} ${m.id} ${m.from}: ${m.text}`)
    on('message:delivered', (d) => `delivered ${d.chatId} ${d.messageId} to ${d.peer}`)
    on('chat:updated', (chat) => describeChat('chat', chat))
  }

  /** Runs one input line; throws `InvalidParametersError` for a line it cannot act on. */
  async handle(line: string, options: AbortOptions = {}): Promise<LineOutcome> {
    const text = line.trim()
    if (text === '') return 'continue'
    if (!text.startsWith('/')) {
      await this.#send(this.#requireCurrent(), text, options)
      return 'continue'
    }
    const [command = '', first, ...rest] = text.split(/\s+/)
    const m = this.#messenger
    switch (command) {
      case '/quit':
        return 'quit'
      case '/help':
        for (const help of CHAT_HELP) writeLine(this.#out, help)
        return 'continue'
      case '/join':
        this.#enter(await m.joinPublic(need(first, '/join <name>'), options))
        return 'continue'
      case '/msg': {
        const chat = await m.startOneToOne(need(first, '/msg <pubkey> <text>'), options)
        this.#enter(chat)
        const body = text.split(/\s+/).slice(2).join(' ')
        if (body !== '') await this.#send(chat.id, body, options)
        return 'continue'
      }
      case '/group': {
        const members = need(rest[0], '/group <name> <pubkey,…>')
          .split(',')
          .filter((key) => key !== '')
        this.#enter(await m.createGroup(need(first, '/group <name> <pubkey,…>'), members, options))
        return 'continue'
      }
      case '/chats':
        for (const chat of m.chats())
          writeLine(this.#out, describeChat(chat.id === this.#current ? '*' : ' ', chat))
        return 'continue'
      case '/switch':
        this.#enter(this.#find(need(first, '/switch <chatId|name>')))
        return 'continue'
      case '/history':
        writeLine(this.#out, `history ${await m.fetchHistory({}, options)} messages`)
        return 'continue'
      default:
        throw new InvalidParametersError(`unknown command ${command}; /help lists them`)
    }
  }

  async #send(chatId: string, text: string, options: AbortOptions): Promise<void> {
    const sent = await this.#messenger.sendText(chatId, text, options)
    writeLine(this.#out, `sent ${sent.chatId} ${sent.id}`)
  }

  #enter(chat: Chat): void {
    this.#current = chat.id
    writeLine(this.#out, describeChat('current', chat))
  }

  #requireCurrent(): string {
    if (this.#current === undefined)
      throw new InvalidParametersError('no current chat: /join, /msg or /group first, or /switch to one')
    return this.#current
  }

  /** A chat by id, or by name when exactly one chat has it. */
  #find(wanted: string): Chat {
    const byId = this.#messenger.chat(wanted)
    if (byId !== undefined) return byId
    const named = this.#messenger.chats().filter((chat) => chat.name === wanted)
    const [only] = named
    if (only === undefined || named.length > 1)
      throw new InvalidParametersError(
        `${named.length > 1 ? 'several chats are' : 'no chat is'} named ${wanted}`,
      )
    return only
  }
}

/** `<label> <id> <type> "<name>" members <n>` */
export function describeChat(label: string, chat: Chat): string {
  return `${label} ${chat.id} ${chat.type} ${JSON.stringify(chat.name)} members ${chat.members.length}`
}

function need(value: string | undefined, usage: string): string {
  if (value === undefined || value === '') throw new InvalidParametersError(`usage: ${usage}`)
  return value
}
