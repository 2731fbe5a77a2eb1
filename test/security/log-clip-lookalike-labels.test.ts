import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness, withAccountCopy } from '../helpers/harness.js';

/**
 * A log line's clip leaves out the run the cut goes through, back to whitespace, a quote, or a
 * Host's "." or ":" (so a long name keeps its first labels). A full-width or other lookalike form
 * of a credential keeps the credential's own "." and ":" in ASCII, and the scrub finds such a form
 * only whole: a cut past its "." left the run before it in the line, all but 7 characters (7 of a
 * key's first 13). A "." or ":" ends the run left out only where what stands before it is ASCII.
 */
/** An account's key with a "." after 13 characters and a ":" after 21; the account itself is never reached. */
const KEY = 'Lq7Kd93ZmPx4w.Tr8Vn2Bh:y6Jc0Fs5Gk1Qe';
const fullWidth = (text: string) => [...text].map((char) => (/[A-Za-z0-9]/.test(char) ? String.fromCharCode(char.charCodeAt(0) + 0xfee0) : char)).join('');
const circled = (text: string) => [...text].map((char) => (/[a-z]/.test(char) ? String.fromCodePoint(0x24d0 + char.charCodeAt(0) - 97) : char)).join('');
const FORMS = [
  { name: 'full-width', text: fullWidth(KEY) },
  { name: 'circled small letters', text: circled(KEY.toLowerCase()) },
];
/** The key's first 5 characters, as each form writes them: any of them left in a line is its start. */
const STARTS = FORMS.map((form) => [...form.text].slice(0, 5).join(''));
const leaked = (harness: Harness, from: number): string[] => harness.logs.slice(from).filter((line) => STARTS.some((start) => line.includes(start)));

/** graphql-js's words before a variable's value: `Variable "$v0" got invalid value "`. */
const BEFORE_VALUE = 'Variable "$v0" got invalid value "'.length;
const CLIP = 300;

function post(url: string, headers: Record<string, string>, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const sent = httpRequest(url, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), ...headers } }, (answer) => {
      answer.resume();
      answer.on('end', () => resolve(answer.statusCode ?? 0));
    });
    sent.on('error', reject);
    sent.end(body);
  });
}

describe('a lookalike credential with "." or ":" in it, through the log clip', () => {
  let harness: Harness;
  let port: number;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['danube'], configure: withAccountCopy('danube', { id: 'danube-dotted-key', auth: { apiKey: KEY } }) });
    port = Number(new URL(harness.gateway.graphqlUrl).port);
  });
  afterAll(() => harness.close());

  it('the forms are ones the scrub redacts whole in an error line (a guard)', async () => {
    const from = harness.logs.length;
    for (const form of FORMS) await harness.gql('query($v0: Boolean!) { a: __typename @include(if: $v0) }', { v0: `x ${form.text} y` });
    expect(harness.logs.slice(from).filter((line) => line.includes('request answered with an error'))).toHaveLength(FORMS.length);
    expect(leaked(harness, from)).toEqual([]);
  });

  // Cut one past the "." (after 14 of the key's characters) and one past the ":" (after 22).
  it.each([15, 23])('an error message clipped at 300 with %i of the key before the cut: no start of the key left', async (before) => {
    const from = harness.logs.length;
    for (const form of FORMS) {
      const head = [...form.text].slice(0, before).join('');
      const value = `${'x'.repeat(CLIP - BEFORE_VALUE - head.length)}${form.text}`;
      const answer = await harness.gql('query($v0: Boolean!) { a: __typename @include(if: $v0) }', { v0: value });
      expect(answer.errors?.[0]?.message).toContain(form.text);
    }
    expect(harness.logs.slice(from).filter((line) => line.includes('request answered with an error'))).toHaveLength(FORMS.length);
    expect(leaked(harness, from)).toEqual([]);
  });

  it("a refused Host cut at 200 keeps a long ASCII name's first labels (a guard)", async () => {
    const from = harness.logs.length;
    const labels = Array.from({ length: 30 }, (_, n) => `label${n}`).join('.');
    expect(await post(harness.gateway.graphqlUrl, { host: `${labels}.example:${port}` }, JSON.stringify({ query: '{ providers { id } }' }))).toBe(403);
    const line = harness.logs.slice(from).find((written) => written.includes('not in listen.allowedHosts'));
    expect(line).toContain('label0.label1.label2.label3');
  });
});
