import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAnsweringFronts, type AnsweringFronts } from '../helpers/answering-fronts.js';
import { startHarness, withAccountCopy, type Harness } from '../helpers/harness.js';
import { onappVmLabelled, providerFailed, secretWindowsShown } from '../helpers/quoted-back.js';

/**
 * A hostile OnApp front quotes its password in two pieces of 7 with whitespace between them escaped
 * behind four backslashes in its answer's text (`\\\\u0020`, `-\\\\t`: a label holding `\\u0020`,
 * JSON's escape inside a JSON string, which the answer's JSON doubles once more): the scrubber read
 * such whitespace behind one or two backslashes only, so 7 characters on either side reached the
 * VM's name, its raw label, the client's error and the log.
 */
const PASSWORD = 'Dnb7Kq8Rw2Zx4LmTpQ';
type Front = 'onapp-deeper';

/** Labels as the VM's name holds them: the answer's JSON doubles each backslash. */
const LABELS = [String.raw`Dnb7Kq8\\u0020Rw2Zx4L`, String.raw`Dnb7Kq8-\\tRw2Zx4L`, String.raw`Dnb7Kq8\\x20-Rw2Zx4L`, String.raw`Dnb7Kq8\\\\u0020Rw2Zx4L`];
/** Error texts as sent: the backslashes stand as written. */
const ERRORS = [String.raw`Dnb7Kq8\\\\u0020Rw2Zx4L`, String.raw`Dnb7Kq8-\\\\tRw2Zx4L`];

describe('a password in pieces with whitespace escaped behind four backslashes between them', () => {
  let harness: Harness;
  let fronts: AnsweringFronts<Front>;

  beforeAll(async () => {
    fronts = await startAnsweringFronts<Front>({ 'onapp-deeper': { status: 200, body: '[]' } });
    harness = await startHarness({
      kinds: ['onapp'],
      configure: [withAccountCopy('onapp', { id: 'onapp-deeper', url: fronts.urls['onapp-deeper'], retries: 0, auth: { username: 'gateway-user', password: PASSWORD } })],
    });
  });
  afterAll(async () => {
    await harness?.close();
    await fronts?.close();
  });

  it('reaches neither a VM name, nor its raw label, nor the client error, nor the log', async () => {
    const leaks: string[] = [];
    for (const quoted of LABELS) {
      const { name, rawLabel, texts } = await onappVmLabelled(harness, fronts, 'onapp-deeper', `vm ${quoted} end`);
      if (name !== 'vm [redacted] end' || rawLabel !== name || secretWindowsShown(texts, PASSWORD, 7).length > 0) leaks.push(`${quoted} in a label: ${JSON.stringify(name)}`);
    }
    for (const quoted of ERRORS) {
      const { message, texts } = await providerFailed(harness, fronts, 'onapp-deeper', 422, `Invalid password ${quoted} end`);
      if (message.includes('Dnb7Kq8') || message.includes('Rw2Zx4L') || secretWindowsShown(texts, PASSWORD, 7).length > 0) leaks.push(`${quoted} in an error: ${JSON.stringify(message)}`);
    }
    expect(leaks).toEqual([]);
  });

  it('leaves such whitespace between words no secret holds as it came (a guard)', async () => {
    const label = String.raw`Tom\\u0020&\\u0020Jerry Dnb7-\\tKq8`;
    const { name, rawLabel } = await onappVmLabelled(harness, fronts, 'onapp-deeper', label);
    expect(name).toBe(label);
    expect(rawLabel).toBe(name);
  });
});
