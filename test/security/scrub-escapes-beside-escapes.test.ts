import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAnsweringFronts, type AnsweringFronts } from '../helpers/answering-fronts.js';
import { startHarness, withAccountCopy, type Harness } from '../helpers/harness.js';
import { onappVmLabelled, providerFailed, secretWindowsShown } from '../helpers/quoted-back.js';

/**
 * Hostile provider fronts quote the password they were sent back with punctuation escaped beside a
 * space or beside another escape between its pieces (`Dnb7Kq8 &lt;Rw2Zx4LmT`,
 * `Dnb7Kq8&lt;%3CRw2Zx4LmT`) or percent-encoded twice (`%253C`), which left the 9 characters after
 * it; or split by whitespace or an invisible character as an HTML reference escaped four times
 * (`&amp;amp;amp;amp;nbsp;`) or percent-encoded three times (`%252526shy%25253B`), which let a
 * letters-only key out whole: in a VM's name, its raw record, the client's error or the log.
 */
const MIXED = 'Dnb7Kq8Rw2Zx4LmT';
const LETTERS = 'nightowlpassword';
const ONAPP_USER = 'gateway-user';

const ESCAPED_JOINERS = [' &lt;', '%2F ', '\\u002d  ', '&lt;%3C', '%3C%3C', '\\x3c&lt;', '%253C', '%252F', ' %253C'];
const DEEPER_SPLITS = ['&amp;amp;amp;amp;nbsp;', '&amp;amp;amp;amp;shy;', '%252526shy%25253B', '%252526nbsp%25253B', '%252526%252523160%25253B'];

/** The windows of `secret`'s letters and digits (7 long; 10 of the letters-only one: a word has none) any of `texts` shows. */
const shown = (texts: readonly string[], secret: string): string[] => secretWindowsShown(texts, secret, secret === LETTERS ? 10 : 7);

describe('a password quoted back with escapes beside a space or another escape, or nested one level deeper', () => {
  let harness: Harness;
  type Front = 'onapp-mixed' | 'danube-letters';
  let fronts: AnsweringFronts<Front>;

  beforeAll(async () => {
    fronts = await startAnsweringFronts<Front>({
      'onapp-mixed': { status: 200, body: '[]' },
      'danube-letters': { status: 200, body: '{}' },
    });
    harness = await startHarness({
      kinds: ['danube', 'onapp'],
      configure: [
        withAccountCopy('onapp', { id: 'onapp-mixed', url: fronts.urls['onapp-mixed'], retries: 0, auth: { username: ONAPP_USER, password: MIXED } }),
        withAccountCopy('danube', { id: 'danube-letters', url: fronts.urls['danube-letters'], retries: 0, auth: { apiKey: LETTERS } }),
      ],
    });
  });
  afterAll(async () => {
    await harness?.close();
    await fronts?.close();
  });

  it('a password of letters and digits with such escaped punctuation inside reaches neither a VM name, nor its raw label, nor the client error, nor the log', async () => {
    const leaks: string[] = [];
    for (const escape of ESCAPED_JOINERS) {
      const quoted = `${MIXED.slice(0, 7)}${escape}${MIXED.slice(7)}`;
      const { name, rawLabel, texts } = await onappVmLabelled(harness, fronts, 'onapp-mixed', `vm of ${quoted}`);
      if (name !== 'vm of [redacted]' || rawLabel !== name || shown(texts, MIXED).length > 0) leaks.push(`${escape} in a label: ${JSON.stringify(name)}`);
      const { message, texts: errorTexts } = await providerFailed(harness, fronts, 'onapp-mixed', 422, JSON.stringify({ errors: [`Invalid password ${quoted}`] }));
      if (message !== 'Invalid password [redacted]' || shown(errorTexts, MIXED).length > 0) leaks.push(`${escape} in an error: ${JSON.stringify(message)}`);
    }
    expect(leaks).toEqual([]);
  });

  it('a secret split by whitespace or an invisible character escaped one level deeper reaches neither a VM name, nor the client error, nor the log', async () => {
    const leaks: string[] = [];
    for (const split of DEEPER_SPLITS) {
      const { name, rawLabel, texts } = await onappVmLabelled(harness, fronts, 'onapp-mixed', `vm of ${MIXED.slice(0, 7)}${split}${MIXED.slice(7)}`);
      if (name !== 'vm of [redacted]' || rawLabel !== name || shown(texts, MIXED).length > 0) leaks.push(`${split} in a label: ${JSON.stringify(name)}`);
      const letters = await providerFailed(harness, fronts, 'danube-letters', 400, JSON.stringify({ detail: `Invalid API key nightowl${split}password` }));
      if (!letters.message.includes('[redacted]') || shown(letters.texts, LETTERS).length > 0) leaks.push(`${split} in Danube's error: ${JSON.stringify(letters.message)}`);
    }
    expect(leaks).toEqual([]);
  });

  it('leaves these escapes alone in text that holds no secret', async () => {
    for (const label of ['a &lt; b c%3C&lt;d e%253Cf', 'Dnb7Kq8 &lt;xyz and Rw2Z', 'x &amp;amp;amp;amp;nbsp; y %252526shy%25253B z']) {
      const { name, rawLabel } = await onappVmLabelled(harness, fronts, 'onapp-mixed', label);
      expect(name).toBe(label);
      expect(rawLabel).toBe(label);
    }
  });
});
