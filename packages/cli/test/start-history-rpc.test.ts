import { bytesToHex, loadCrypto, utf8ToBytes } from '@parley/crypto'
import { seal, symKeyFromPassword } from '@parley/envelope'
import { describe, expect, it } from 'vitest'
import { whileStarted } from './run.ts'
import { postVia, rpc, STATUS_TOPIC } from './v1-peer.ts'

const LOCAL = ['--listen-address=127.0.0.1', '--devp2p-port=0', '--log-level=silent']
const LINE = (label: string) => new RegExp(`^${label}: (\\S+)$`, 'm')
const MAIL_PASSWORD = 'parley rpc archive'

describe('parley start --rpc --mailnode', () => {
  it("fetches a --mailserver node's history with wakuext_requestMessages into an allowP2P filter", async () => {
    const { secp256k1 } = await loadCrypto()
    const text = 'missed while offline'
    const data = seal({ payload: utf8ToBytes(text), symKey: await symKeyFromPassword('chat') }, { secp256k1 })
    await whileStarted(
      ['--protocol=waku1', ...LOCAL, '--mailserver', `--mailserver-password=${MAIL_PASSWORD}`],
      (stdout) => LINE('enode').test(stdout),
      async (serverOut) => {
        const server = LINE('enode').exec(serverOut)?.[1] ?? ''
        await postVia(server, data)
        await whileStarted(
          ['--protocol=waku1', ...LOCAL, '--rpc', '--rpc-port=0', `--mailnode=${server}`],
          (stdout) => LINE('rpc').test(stdout),
          async (clientOut) => {
            const url = LINE('rpc').exec(clientOut)?.[1] ?? ''
            const call = async (method: string, ...params: unknown[]) => {
              const { body } = await rpc(url, method, params)
              expect(body.error, method).toBeUndefined()
              return body.result
            }
            const chatKey = await call('waku_generateSymKeyFromPassword', 'chat')
            const mailKey = await call('waku_generateSymKeyFromPassword', MAIL_PASSWORD)
            const filter = await call('waku_newMessageFilter', {
              symKeyID: chatKey,
              topics: [STATUS_TOPIC],
              allowP2P: true,
            })
            let messages: Array<{ payload: string }> = []
            // The server archives the envelope as it accepts it; give that its moment (10 s at most).
            const deadline = Date.now() + 10_000
            while (messages.length === 0 && Date.now() < deadline) {
              const request = { mailServerPeer: server, symKeyID: mailKey, topics: [STATUS_TOPIC] }
              expect(await call('wakuext_requestMessages', request)).toMatch(/^0x[0-9a-f]{64}$/)
              messages = (await call('waku_getFilterMessages', filter)) as typeof messages
              if (messages.length === 0) await new Promise((resolve) => setTimeout(resolve, 50))
            }
            expect(messages.map((message) => message.payload)).toEqual([`0x${bytesToHex(utf8ToBytes(text))}`])
          },
        )
      },
    )
  })
})
