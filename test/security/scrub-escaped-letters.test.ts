import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAnsweringFronts, type AnsweringFronts } from '../helpers/answering-fronts.js';
import { startHarness, withAccountCopy, type Harness } from '../helpers/harness.js';
import { onappVmLabelled, providerFailed } from '../helpers/quoted-back.js';

/**
 * A hostile OnApp front quotes a piece of the password it was sent with each letter or digit
 * written as an escape (`%44%6E%62%37%4B%71%38%52` is "Dnb7Kq8R" to a URL's reader, `&#x44;`
 * to a browser, `\u0044` to a JSON parser), or a second half so after a first half plain: the
 * piece search read the text as it stands, and the piece reached the VM's name, its raw label, the
 * client's error and the log.
 */
const PASSWORD = 'Dnb7Kq8Rw2Zx4LmTpQ';
const ONAPP_USER = 'gateway-user';
type Front = 'onapp-escaped';

const hex = (code: number): string => code.toString(16).padStart(2, '0');
const everyChar = (text: string, write: (code: number) => string): string => [...text].map((char) => write(char.charCodeAt(0))).join('');

/** What the front quotes, and what the scrubbed label must be. */
const QUOTED: Array<[string, string]> = [
  [`vm ${everyChar(PASSWORD.slice(0, 8), (code) => `%${hex(code).toUpperCase()}`)} end`, 'vm [redacted] end'],
  [`vm ${everyChar(PASSWORD.slice(2, 10), (code) => `&#x${hex(code)};`)} end`, 'vm [redacted] end'],
  [`vm ${everyChar(PASSWORD.slice(4, 12), (code) => `&#${code};`)} end`, 'vm [redacted] end'],
  [`vm ${everyChar(PASSWORD.slice(6, 14), (code) => `\\u00${hex(code)}`)} end`, 'vm [redacted] end'],
  ['vm %44n%62%37Kq8R end', 'vm [redacted] end'],
  [`vm ${PASSWORD.slice(0, 10)} and %5A%78%34LmTpQ`, 'vm [redacted] and [redacted]'],
  // An HTML numeric reference URL-encoded (`&#68;` as a URL encoder writes it): "Dnb7Kq8R" read through both.
  ['vm %26%2368%3Bnb7Kq8R end', 'vm [redacted] end'],
  [`vm ${everyChar(PASSWORD.slice(8, 16), (code) => `%26%23x${hex(code)}%3B`)} end`, 'vm [redacted] end'],
];

/** `text` with %XX, &#NN;, &#xXX; and \u00XX read once, as a URL's reader, a browser or a JSON parser would. */
const decoded = (text: string): string =>
  text
    .replace(/%([0-7][0-9a-fA-F])/g, (_escape, byte: string) => String.fromCharCode(parseInt(byte, 16)))
    .replace(/&#[xX]([0-9a-fA-F]+);?/g, (_escape, digits: string) => String.fromCharCode(parseInt(digits, 16)))
    .replace(/&#(\d+);?/g, (_escape, digits: string) => String.fromCharCode(parseInt(digits, 10)))
    .replace(/\\+u00([0-7][0-9a-fA-F])/g, (_escape, byte: string) => String.fromCharCode(parseInt(byte, 16)));

/** The password's windows of 8 that any of `texts`, read through, shows. */
function piecesShown(texts: readonly string[]): string[] {
  const windows = Array.from({ length: PASSWORD.length - 7 }, (_, start) => PASSWORD.slice(start, start + 8));
  return windows.filter((window) => texts.some((text) => decoded(text).includes(window)));
}

describe('a password piece written as escapes of its letters', () => {
  let harness: Harness;
  let fronts: AnsweringFronts<Front>;

  beforeAll(async () => {
    fronts = await startAnsweringFronts<Front>({ 'onapp-escaped': { status: 200, body: '[]' } });
    harness = await startHarness({
      kinds: ['onapp'],
      configure: [withAccountCopy('onapp', { id: 'onapp-escaped', url: fronts.urls['onapp-escaped'], retries: 0, auth: { username: ONAPP_USER, password: PASSWORD } })],
    });
  });
  afterAll(async () => {
    await harness?.close();
    await fronts?.close();
  });

  it('reaches neither a VM name, nor its raw label, nor the client error, nor the log', async () => {
    const leaks: string[] = [];
    for (const [label, scrubbed] of QUOTED) {
      const { name, rawLabel, texts } = await onappVmLabelled(harness, fronts, 'onapp-escaped', label);
      if (name !== scrubbed || rawLabel !== name || piecesShown(texts).length > 0) leaks.push(`${label} in a label: ${JSON.stringify(name)}`);
      const quoted = label.slice('vm '.length);
      const { message, texts: errorTexts } = await providerFailed(harness, fronts, 'onapp-escaped', 422, JSON.stringify({ errors: [`Invalid password ${quoted}`] }));
      if (message !== `Invalid password ${scrubbed.slice('vm '.length)}` || piecesShown(errorTexts).length > 0) leaks.push(`${label} in an error: ${JSON.stringify(message)}`);
    }
    expect(leaks).toEqual([]);
  });

  it('leaves escapes of letters alone in text that holds no piece of a secret', async () => {
    for (const label of ['vm %41%42%43%44%45%46%47%48', 'caf&#233; &#65;&#66;&#67; \\u0041BC']) {
      const { name, rawLabel } = await onappVmLabelled(harness, fronts, 'onapp-escaped', label);
      expect(name).toBe(label);
      expect(rawLabel).toBe(label);
    }
  });
});
