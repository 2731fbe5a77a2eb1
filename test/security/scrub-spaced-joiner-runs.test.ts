import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAnsweringFronts, type AnsweringFronts } from '../helpers/answering-fronts.js';
import { startHarness, withAccountCopy, type Harness } from '../helpers/harness.js';
import { onappVmLabelled, providerFailed, secretWindowsShown } from '../helpers/quoted-back.js';

/**
 * A hostile OnApp front quotes its password cut every 7 characters by a run of punctuation with an
 * escape in it and a space inside (`\u002d \u002d`, `&lt; %3C`, `- &lt;`), or by punctuation a
 * backslash escapes (`\-\ \-`, as a regex or a shell writes it): the scrubber read a run of escapes
 * only with nothing between them, and a backslash only before `x`, `u` or `U`, so each piece of 7
 * reached the client's error and the log, the whole password in three.
 */
const PASSWORD = 'Dnb7Kq8Rw2Zx4LmTpQ';
type Front = 'onapp-runs';
const cut = (between: string): string => `${PASSWORD.slice(0, 7)}${between}${PASSWORD.slice(7, 14)}${between}${PASSWORD.slice(14)}`;

/** What the errors quote (the answer's JSON doubles each backslash). */
const RUNS = ['\\u002d \\u002d', '&lt; %3C', '- &lt;', '%2F / %2F', '\\-\\ \\-', '\\\\-\\\\ \\\\-', '\\u002d-'];

describe('a password cut every 7 characters by runs of escaped punctuation with a space inside', () => {
  let harness: Harness;
  let fronts: AnsweringFronts<Front>;

  beforeAll(async () => {
    fronts = await startAnsweringFronts<Front>({ 'onapp-runs': { status: 200, body: '[]' } });
    harness = await startHarness({
      kinds: ['onapp'],
      configure: [withAccountCopy('onapp', { id: 'onapp-runs', url: fronts.urls['onapp-runs'], retries: 0, auth: { username: 'gateway-user', password: PASSWORD } })],
    });
  });
  afterAll(async () => {
    await harness?.close();
    await fronts?.close();
  });

  it('reaches neither the client error nor the log', async () => {
    const leaks: string[] = [];
    for (const between of RUNS) {
      const quoted = cut(between);
      const { message, texts } = await providerFailed(harness, fronts, 'onapp-runs', 422, JSON.stringify({ error: `Invalid password ${quoted} end` }));
      if (message.includes('Dnb7Kq8') || message.includes('Rw2Zx4L') || secretWindowsShown(texts, PASSWORD, 7).length > 0) leaks.push(`${quoted} in an error: ${JSON.stringify(message)}`);
    }
    expect(leaks).toEqual([]);
  });

  it('reaches neither a VM name nor its raw label', async () => {
    const { name, rawLabel, texts } = await onappVmLabelled(harness, fronts, 'onapp-runs', `vm ${cut('&lt; %3C')} end`);
    expect(name).toBe('vm [redacted] end');
    expect(rawLabel).toBe(name);
    expect(secretWindowsShown(texts, PASSWORD, 7)).toEqual([]);
  });

  it('leaves such runs between words no secret holds as they came (a guard)', async () => {
    const label = 'a &lt; %3C b, Tom - &amp; Jerry, C:\\-\\ path';
    const { name, rawLabel } = await onappVmLabelled(harness, fronts, 'onapp-runs', label);
    expect(name).toBe(label);
    expect(rawLabel).toBe(name);
  });
});
