import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAnsweringFronts, type AnsweringFronts } from '../helpers/answering-fronts.js';
import { startHarness, withAccountCopy, type Harness } from '../helpers/harness.js';
import { onappVmLabelled, providerFailed, secretWindowsShown } from '../helpers/quoted-back.js';

/**
 * Hostile provider fronts quote the password they were sent back with punctuation written as an
 * escape between its pieces (`Dnb7Kq8&lt;Rw2Zx4LmT`, or a password holding "<" and '"' quoted with
 * them escaped and a space put in: `Dnb7&lt;Kq8Rw2 Zx4&quot;LmT`), or split by whitespace or an
 * invisible character escaped deeper than the scrubber read (`&amp;amp;amp;nbsp;`, `%26nbsp%3B`,
 * `%25252500`). Each left 7 characters of the password, or all of it, in a VM's name, its raw
 * record, the client's error or the log.
 */
const MIXED = 'Dnb7Kq8Rw2Zx4LmT';
const PUNCTUATED = 'Dnb7<Kq8Rw2Zx4"LmT';
const LETTERS = 'nightowlpassword';
const ONAPP_USER = 'gateway-user';

const ESCAPED_PUNCTUATION = ['&lt;', '&#60;', '&#x3c;', '%3C', '\\u003c', '\\x3c', '&quot;', '%2F', '&#45;', '\\u002d', '&amp;'];
const DEEPER_SPLITS = ['&amp;amp;amp;nbsp;', '&amp;amp;amp;shy;', '%26nbsp%3B', '%26shy%3B', '%2526nbsp%253B', '%26%23160%3B', '%25252520', '%25252500', '%252525E2%25252580%2525258B'];
/** How the punctuated password is quoted: its "<" and '"' escaped, with a space or line break put inside it too. */
const PUNCTUATED_QUOTES = ['Dnb7&lt;Kq8Rw2 Zx4&quot;LmT', 'Dnb7%3CKq8Rw2 Zx4%22LmT', 'Dnb7\\u003cKq8Rw2\\nZx4\\u0022LmT', 'Dnb7&#60;Kq8Rw2 Zx4&#34;LmT'];

/** The windows of `secret`'s letters and digits (7 long; 10 of the letters-only one: a word has none) any of `texts` shows. */
const shown = (texts: readonly string[], secret: string): string[] => secretWindowsShown(texts, secret, secret === LETTERS ? 10 : 7);

describe('a password quoted back with escaped punctuation between its pieces, or split by whitespace escaped deeper', () => {
  let harness: Harness;
  type Front = 'onapp-mixed' | 'onapp-punctuated' | 'danube-letters';
  let fronts: AnsweringFronts<Front>;

  beforeAll(async () => {
    fronts = await startAnsweringFronts<Front>({
      'onapp-mixed': { status: 200, body: '[]' },
      'onapp-punctuated': { status: 200, body: '[]' },
      'danube-letters': { status: 200, body: '{}' },
    });
    harness = await startHarness({
      kinds: ['danube', 'onapp'],
      configure: [
        withAccountCopy('onapp', { id: 'onapp-mixed', url: fronts.urls['onapp-mixed'], retries: 0, auth: { username: ONAPP_USER, password: MIXED } }),
        withAccountCopy('onapp', { id: 'onapp-punctuated', url: fronts.urls['onapp-punctuated'], retries: 0, auth: { username: ONAPP_USER, password: PUNCTUATED } }),
        withAccountCopy('danube', { id: 'danube-letters', url: fronts.urls['danube-letters'], retries: 0, auth: { apiKey: LETTERS } }),
      ],
    });
  });
  afterAll(async () => {
    await harness?.close();
    await fronts?.close();
  });

  it('a password of letters and digits with escaped punctuation inside reaches neither a VM name, nor its raw label, nor the client error, nor the log', async () => {
    const leaks: string[] = [];
    for (const escape of ESCAPED_PUNCTUATION) {
      const quoted = `${MIXED.slice(0, 7)}${escape}${MIXED.slice(7)}`;
      const { name, rawLabel, texts } = await onappVmLabelled(harness, fronts, 'onapp-mixed', `vm of ${quoted}`);
      if (name !== 'vm of [redacted]' || rawLabel !== name || shown(texts, MIXED).length > 0) leaks.push(`${escape} in a label: ${JSON.stringify(name)}`);
      const { message, texts: errorTexts } = await providerFailed(harness, fronts, 'onapp-mixed', 422, JSON.stringify({ errors: [`Invalid password ${quoted}`] }));
      if (message !== 'Invalid password [redacted]' || shown(errorTexts, MIXED).length > 0) leaks.push(`${escape} in an error: ${JSON.stringify(message)}`);
    }
    expect(leaks).toEqual([]);
  });

  it('a password holding punctuation, quoted with it escaped and split, reaches neither a VM name, nor its raw label, nor the client error, nor the log', async () => {
    const leaks: string[] = [];
    for (const quoted of PUNCTUATED_QUOTES) {
      const { name, rawLabel, texts } = await onappVmLabelled(harness, fronts, 'onapp-punctuated', `vm of ${quoted}`);
      if (name !== 'vm of [redacted]' || rawLabel !== name || shown(texts, PUNCTUATED).length > 0) leaks.push(`${quoted} in a label: ${JSON.stringify(name)}`);
      const { message, texts: errorTexts } = await providerFailed(harness, fronts, 'onapp-punctuated', 422, JSON.stringify({ errors: [`Invalid password ${quoted}`] }));
      if (message !== 'Invalid password [redacted]' || shown(errorTexts, PUNCTUATED).length > 0) leaks.push(`${quoted} in an error: ${JSON.stringify(message)}`);
    }
    expect(leaks).toEqual([]);
  });

  it('a secret split by whitespace or an invisible character escaped deeper reaches neither a VM name, nor the client error, nor the log', async () => {
    const leaks: string[] = [];
    for (const split of DEEPER_SPLITS) {
      const { name, rawLabel, texts } = await onappVmLabelled(harness, fronts, 'onapp-mixed', `vm of ${MIXED.slice(0, 7)}${split}${MIXED.slice(7)}`);
      if (name !== 'vm of [redacted]' || rawLabel !== name || shown(texts, MIXED).length > 0) leaks.push(`${split} in a label: ${JSON.stringify(name)}`);
      const letters = await providerFailed(harness, fronts, 'danube-letters', 400, JSON.stringify({ detail: `Invalid API key nightowl${split}password` }));
      if (!letters.message.includes('[redacted]') || shown(letters.texts, LETTERS).length > 0) leaks.push(`${split} in Danube's error: ${JSON.stringify(letters.message)}`);
    }
    expect(leaks).toEqual([]);
  });

  it('leaves escaped punctuation and the deeper escapes alone in text that holds no secret', async () => {
    for (const label of ['a &lt;b&gt; c%2Fd &amp; e', 'Dnb7&lt;Kq8 and Rw2Z', 'x %26nbsp%3B y &amp;amp;amp;nbsp; %25252520']) {
      const { name, rawLabel } = await onappVmLabelled(harness, fronts, 'onapp-mixed', label);
      expect(name).toBe(label);
      expect(rawLabel).toBe(label);
    }
  });
});
