import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAnsweringFronts, type AnsweringFronts } from '../helpers/answering-fronts.js';
import { startHarness, withAccountCopy, type Harness } from '../helpers/harness.js';
import { onappVmLabelled, providerFailed, secretWindowsShown } from '../helpers/quoted-back.js';

/**
 * Hostile provider fronts quote the password they were sent back in halves where an escape meets
 * a piece of it: the first half right after a stray `%2` or a backslash, whose escape (`%2b`,
 * `\n`) the piece search passed over with the password's first character, so it counted 7
 * and left 8 (`%2b7Kq8Rw2`); or with punctuation between the halves written as an escape
 * escaped again (`&amp;lt;`, `\u0026lt;`, `%26lt%3B`) or percent-encoded four times
 * (`%2525253C`), which the reading of escaped punctuation read one level (or three) deep. Each
 * left 7 or 8 characters of the password in a VM's name, its raw record, the client's error or
 * the log.
 */
const AFTER_PLUS = 'b7Kq8Rw2Zx4LmTpQ';
const AFTER_NEWLINE = 'nb7Kq8Rw2Zx4LmTp';
const ONAPP_USER = 'gateway-user';

/** A password's first half after an escape's start, its second half further on: what the label is, and what it must become. */
const EATEN: Array<[Front, string, string, string]> = [
  ['onapp-plus', AFTER_PLUS, `vm of %2${AFTER_PLUS.slice(0, 8)} and ${AFTER_PLUS.slice(8)}`, 'vm of %2[redacted] and [redacted]'],
  ['onapp-plus', AFTER_PLUS, `vm of %2${AFTER_PLUS.slice(0, 8)}`, 'vm of %2[redacted]'],
  ['onapp-newline', AFTER_NEWLINE, `vm of \\${AFTER_NEWLINE.slice(0, 8)}`, 'vm of \\[redacted]'],
];
const ESCAPED_AGAIN = ['&amp;lt;', '&amp;amp;lt;', '&#38;lt;', '\\u0026lt;', '%26lt%3B', '%2525253C'];

type Front = 'onapp-plus' | 'onapp-newline';

describe('a password quoted back where an escape meets a piece of it', () => {
  let harness: Harness;
  let fronts: AnsweringFronts<Front>;

  beforeAll(async () => {
    fronts = await startAnsweringFronts<Front>({ 'onapp-plus': { status: 200, body: '[]' }, 'onapp-newline': { status: 200, body: '[]' } });
    harness = await startHarness({
      kinds: ['onapp'],
      configure: [
        withAccountCopy('onapp', { id: 'onapp-plus', url: fronts.urls['onapp-plus'], retries: 0, auth: { username: ONAPP_USER, password: AFTER_PLUS } }),
        withAccountCopy('onapp', { id: 'onapp-newline', url: fronts.urls['onapp-newline'], retries: 0, auth: { username: ONAPP_USER, password: AFTER_NEWLINE } }),
      ],
    });
  });
  afterAll(async () => {
    await harness?.close();
    await fronts?.close();
  });

  it('a piece whose first characters end an escape before it reaches neither a VM name, nor its raw label, nor the client error, nor the log', async () => {
    const leaks: string[] = [];
    for (const [front, secret, label, scrubbed] of EATEN) {
      const { name, rawLabel, texts } = await onappVmLabelled(harness, fronts, front, label);
      if (name !== scrubbed || rawLabel !== name || secretWindowsShown(texts, secret, 7).length > 0) leaks.push(`${label} in a label: ${JSON.stringify(name)}`);
      const { message, texts: errorTexts } = await providerFailed(harness, fronts, front, 422, JSON.stringify({ errors: [`Invalid password ${label.slice('vm of '.length)}`] }));
      if (message !== `Invalid password ${scrubbed.slice('vm of '.length)}` || secretWindowsShown(errorTexts, secret, 7).length > 0) leaks.push(`${label} in an error: ${JSON.stringify(message)}`);
    }
    expect(leaks).toEqual([]);
  });

  it('punctuation escaped again between its pieces reaches neither a VM name, nor its raw label, nor the client error, nor the log', async () => {
    const leaks: string[] = [];
    for (const escape of ESCAPED_AGAIN) {
      const quoted = `${AFTER_PLUS.slice(0, 7)}${escape}${AFTER_PLUS.slice(7)}`;
      const { name, rawLabel, texts } = await onappVmLabelled(harness, fronts, 'onapp-plus', `vm of ${quoted}`);
      if (name !== 'vm of [redacted]' || rawLabel !== name || secretWindowsShown(texts, AFTER_PLUS, 7).length > 0) leaks.push(`${escape} in a label: ${JSON.stringify(name)}`);
      const { message, texts: errorTexts } = await providerFailed(harness, fronts, 'onapp-plus', 422, JSON.stringify({ errors: [`Invalid password ${quoted}`] }));
      if (message !== 'Invalid password [redacted]' || secretWindowsShown(errorTexts, AFTER_PLUS, 7).length > 0) leaks.push(`${escape} in an error: ${JSON.stringify(message)}`);
    }
    expect(leaks).toEqual([]);
  });

  it('leaves such escapes alone in text that holds no secret', async () => {
    for (const label of ['line\\nbreak %2b7 and %20x', 'a &amp;lt;b&amp;gt; c %2525253C d', 'AT&amp;T']) {
      const { name, rawLabel } = await onappVmLabelled(harness, fronts, 'onapp-plus', label);
      expect(name).toBe(label);
      expect(rawLabel).toBe(label);
    }
  });
});
