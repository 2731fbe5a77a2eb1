import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAnsweringFronts, type AnsweringFronts } from '../helpers/answering-fronts.js';
import { startHarness, withAccountCopy, type Harness } from '../helpers/harness.js';
import { onappVmLabelled, providerFailed, secretWindowsShown } from '../helpers/quoted-back.js';

/**
 * A hostile OnApp front quotes its password with a letter, digit or joiner written as Python's
 * 8-digit escape (`\U00000052` for "R", `\U0000002d` for a `-` between two pieces): the scrubber
 * read the `\u00XX` and `\xXX` forms only, so 7 characters on either side reached the VM's name,
 * its raw label, the client's error and the log. In a label the escape is the text of the name
 * (its JSON holds `\\U...`); in a plain-text error it stands with one backslash.
 */
const PASSWORD = 'Dnb7Kq8Rw2Zx4LmTpQ';
type Front = 'onapp-python';

const QUOTED = [
  String.raw`Dnb7Kq8\U00000052w2Zx4L`,
  String.raw`Dnb7Kq8\U0000002dRw2Zx4L`,
  String.raw`Dnb7Kq8%5CU00000052w2Zx4L`,
  [...PASSWORD].map((char) => `\\U${char.charCodeAt(0).toString(16).padStart(8, '0')}`).join(''),
];

describe("a password with Python's \\U escape of a letter or joiner in it", () => {
  let harness: Harness;
  let fronts: AnsweringFronts<Front>;

  beforeAll(async () => {
    fronts = await startAnsweringFronts<Front>({ 'onapp-python': { status: 200, body: '[]' } });
    harness = await startHarness({
      kinds: ['onapp'],
      configure: [withAccountCopy('onapp', { id: 'onapp-python', url: fronts.urls['onapp-python'], retries: 0, auth: { username: 'gateway-user', password: PASSWORD } })],
    });
  });
  afterAll(async () => {
    await harness?.close();
    await fronts?.close();
  });

  it('reaches neither a VM name, nor its raw label, nor the client error, nor the log', async () => {
    const leaks: string[] = [];
    for (const quoted of QUOTED) {
      const { name, rawLabel, texts } = await onappVmLabelled(harness, fronts, 'onapp-python', `vm ${quoted} end`);
      if (name !== 'vm [redacted] end' || rawLabel !== name || secretWindowsShown(texts, PASSWORD, 7).length > 0 || texts.some((text) => text.includes(quoted))) leaks.push(`${quoted} in a label: ${JSON.stringify(name)}`);
      const { message, texts: errorTexts } = await providerFailed(harness, fronts, 'onapp-python', 422, `Invalid password ${quoted} end`);
      if (message.includes('Dnb7Kq8') || message.includes('w2Zx4L') || message.includes(quoted) || secretWindowsShown(errorTexts, PASSWORD, 7).length > 0) leaks.push(`${quoted} in an error: ${JSON.stringify(message)}`);
    }
    expect(leaks).toEqual([]);
  });

  it('leaves such an escape between words no secret holds as it came (a guard)', async () => {
    const label = String.raw`Tom\U0000002dJerry Dnb7\U0000004bq8`;
    const { name, rawLabel } = await onappVmLabelled(harness, fronts, 'onapp-python', label);
    expect(name).toBe(label);
    expect(rawLabel).toBe(name);
  });
});
