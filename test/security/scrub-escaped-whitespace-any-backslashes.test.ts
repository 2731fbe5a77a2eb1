import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAnsweringFronts, type AnsweringFronts } from '../helpers/answering-fronts.js';
import { startHarness, withAccountCopy, type Harness } from '../helpers/harness.js';
import { onappVmLabelled, providerFailed, secretWindowsShown } from '../helpers/quoted-back.js';

/**
 * A hostile OnApp front quotes its password in pieces of 7 with whitespace between them escaped
 * behind 3, 5, 6, 7 or 16 and more backslashes (`\\\u0020`: a backslash of the text's own, then
 * the escape; 16: five JSON strings deep), or JSON's `\t` so after a joiner: the scrubber read
 * runs of 1, 2, 4 or 8 only, and a backslash left beside a piece was counted, so 7 characters on
 * either side reached the VM's name, its raw label, the client's error and the log; cut every 7,
 * the whole password did.
 */
const PASSWORD = 'Dnb7Kq8Rw2Zx4LmTpQ';
type Front = 'onapp-backslashes';
const backslashes = (count: number): string => '\\'.repeat(count);

/** Error texts as sent: the backslashes stand as written. */
const ERRORS = [
  `Dnb7Kq8${backslashes(3)}u0020Rw2Zx4L${backslashes(5)}u0020mTpQ`,
  `Dnb7Kq8${backslashes(6)}u200bRw2Zx4L${backslashes(7)}x20mTpQ`,
  `Dnb7Kq8${backslashes(16)}u0020Rw2Zx4L${backslashes(17)}u00a0mTpQ`,
  `Dnb7Kq8-${backslashes(3)}tRw2Zx4L-${backslashes(16)}nmTpQ`,
  `Dnb7Kq8\\ Rw2Zx4L\\ mTpQ`,
];

describe('a password in pieces with whitespace escaped behind 3, 5-7 or 16 and more backslashes between them', () => {
  let harness: Harness;
  let fronts: AnsweringFronts<Front>;

  beforeAll(async () => {
    fronts = await startAnsweringFronts<Front>({ 'onapp-backslashes': { status: 200, body: '[]' } });
    harness = await startHarness({
      kinds: ['onapp'],
      configure: [withAccountCopy('onapp', { id: 'onapp-backslashes', url: fronts.urls['onapp-backslashes'], retries: 0, auth: { username: 'gateway-user', password: PASSWORD } })],
    });
  });
  afterAll(async () => {
    await harness?.close();
    await fronts?.close();
  });

  it('reaches neither the client error nor the log', async () => {
    const leaks: string[] = [];
    for (const quoted of ERRORS) {
      const { message, texts } = await providerFailed(harness, fronts, 'onapp-backslashes', 422, `Invalid password ${quoted} end`);
      if (message.includes('Dnb7Kq8') || message.includes('Rw2Zx4L') || secretWindowsShown(texts, PASSWORD, 7).length > 0) leaks.push(`${quoted} in an error: ${JSON.stringify(message)}`);
    }
    expect(leaks).toEqual([]);
  });

  it('reaches neither a VM name nor its raw label (the label as the VM name holds it)', async () => {
    const label = `vm Dnb7Kq8${backslashes(3)}u0020Rw2Zx4L${backslashes(5)}u0020mTpQ end`;
    const { name, rawLabel, texts } = await onappVmLabelled(harness, fronts, 'onapp-backslashes', label);
    expect(name).toBe('vm [redacted] end');
    expect(rawLabel).toBe(name);
    expect(secretWindowsShown(texts, PASSWORD, 7)).toEqual([]);
  });

  it('leaves such backslashes between words no secret holds as they came (a guard)', async () => {
    const label = `C:${backslashes(3)}u0020Users Tom -${backslashes(5)}tJerry`;
    const { name, rawLabel } = await onappVmLabelled(harness, fronts, 'onapp-backslashes', label);
    expect(name).toBe(label);
    expect(rawLabel).toBe(name);
  });
});
