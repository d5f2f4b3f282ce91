import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { CLASS_IN, encodeResponse, MAX_UDP_MESSAGE, TYPE_TXT } from '../src/dns-message.ts'
import { countingResolveTxt, dnsQuerySize, encodeQuery, txtAnswerSize } from '../src/index.ts'

const label = fc.stringMatching(/^[a-z0-9]{1,63}$/)
const name = fc.array(label, { minLength: 1, maxLength: 4 }).map((labels) => labels.join('.'))
const text = fc.stringMatching(/^[A-Za-z0-9+/=:-]{0,600}$/)

/** TXT text as a resolver returns it: character-strings of at most 255 bytes. */
function characterStrings(value: string): string[] {
  const chunks: string[] = []
  for (let start = 0; start < value.length; start += 255) chunks.push(value.slice(start, start + 255))
  return chunks
}

describe('DNS byte estimates', () => {
  it('a query is as long as encodeQuery writes it', () => {
    fc.assert(fc.property(name, (asked) => dnsQuerySize(asked) === encodeQuery(0, asked).length))
  })

  it('an answer is as long as the loopback server writes it', () => {
    fc.assert(
      fc.property(name, text, (asked, answer) => {
        const written = encodeResponse({
          id: 1,
          opcode: 0,
          recursionDesired: true,
          rcode: 0,
          question: { name: asked, type: TYPE_TXT, class: CLASS_IN },
          txt: [answer],
        })
        fc.pre(written.length <= MAX_UDP_MESSAGE)
        return txtAnswerSize(asked, [characterStrings(answer)]) === written.length
      }),
    )
  })

  it('countingResolveTxt counts the query, and the answer only when one came back', async () => {
    const counted = new Map<string, number>()
    const bytes = {
      inc: (labels: Record<string, string | number> = {}, value = 1) =>
        counted.set(String(labels.direction), (counted.get(String(labels.direction)) ?? 0) + value),
    }
    const resolve = countingResolveTxt(async (asked) => {
      if (asked === 'missing.example') throw new Error('ENOTFOUND')
      return [['enrtree-root:v1 e=A l=B seq=1 sig=C']]
    }, bytes)
    expect(await resolve('tree.example', {})).toEqual([['enrtree-root:v1 e=A l=B seq=1 sig=C']])
    await expect(resolve('missing.example', {})).rejects.toThrow('ENOTFOUND')
    expect(counted.get('out')).toBe(dnsQuerySize('tree.example') + dnsQuerySize('missing.example'))
    expect(counted.get('in')).toBe(txtAnswerSize('tree.example', [['enrtree-root:v1 e=A l=B seq=1 sig=C']]))
  })
})
