import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAnsweringFronts, type AnsweringFronts } from '../helpers/answering-fronts.js';
import { startHarness, withAccountCopy, type Harness } from '../helpers/harness.js';
import { onappVmLabelled, providerFailed, secretWindowsShown } from '../helpers/quoted-back.js';

/**
 * A hostile OnApp front quotes its password cut every 7 characters by a joiner escaped deeper than
 * four readings (`%252525252D`, `&amp;amp;amp;amp;lt;`, 16 backslashes before `u002d`) or by more
 * than four joiners as they stand before an escape (`-----\u002d`): the scrubber read escapes of
 * markers three deep, seven backslashes doubled and four joiners back, so each piece of 7 reached
 * the client's error and the log, the whole password in three.
 */
const PASSWORD = 'Dnb7Kq8Rw2Zx4LmTpQ';
type Front = 'onapp-deep';
const cut = (between: string): string => `${PASSWORD.slice(0, 7)}${between}${PASSWORD.slice(7, 14)}${between}${PASSWORD.slice(14)}`;

/** What the errors quote (the answer's JSON doubles each backslash). */
const CUTS = ['%252525252D', '%25252525252525252F', '&amp;amp;amp;amp;lt;', `${'\\'.repeat(16)}u002d`, `${'\\'.repeat(9)}x2d`, '-----\\u002d', '- - - - - - %2D'];

describe('a password cut every 7 characters by joiners escaped deeper than four readings, or by long runs before an escape', () => {
  let harness: Harness;
  let fronts: AnsweringFronts<Front>;

  beforeAll(async () => {
    fronts = await startAnsweringFronts<Front>({ 'onapp-deep': { status: 200, body: '[]' } });
    harness = await startHarness({
      kinds: ['onapp'],
      configure: [withAccountCopy('onapp', { id: 'onapp-deep', url: fronts.urls['onapp-deep'], retries: 0, auth: { username: 'gateway-user', password: PASSWORD } })],
    });
  });
  afterAll(async () => {
    await harness?.close();
    await fronts?.close();
  });

  it('reaches neither the client error nor the log', async () => {
    const leaks: string[] = [];
    for (const between of CUTS) {
      const quoted = cut(between);
      const { message, texts } = await providerFailed(harness, fronts, 'onapp-deep', 422, JSON.stringify({ error: `Invalid password ${quoted} end` }));
      if (message.includes('Dnb7Kq8') || message.includes('Rw2Zx4L') || secretWindowsShown(texts, PASSWORD, 7).length > 0) leaks.push(`${quoted} in an error: ${JSON.stringify(message)}`);
    }
    expect(leaks).toEqual([]);
  });

  it('reaches neither a VM name nor its raw label', async () => {
    const { name, rawLabel, texts } = await onappVmLabelled(harness, fronts, 'onapp-deep', `vm ${cut('%252525252D')} end`);
    expect(name).toBe('vm [redacted] end');
    expect(rawLabel).toBe(name);
    expect(secretWindowsShown(texts, PASSWORD, 7)).toEqual([]);
  });

  it('leaves deep escapes and long runs between words no secret holds as they came (a guard)', async () => {
    const label = 'a %252525252D b, Tom &amp;amp;amp;amp;amp; Jerry, x ------ %2D y';
    const { name, rawLabel } = await onappVmLabelled(harness, fronts, 'onapp-deep', label);
    expect(name).toBe(label);
    expect(rawLabel).toBe(name);
  });
});
