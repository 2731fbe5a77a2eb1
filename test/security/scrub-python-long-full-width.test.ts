import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAnsweringFronts, type AnsweringFronts } from '../helpers/answering-fronts.js';
import { startHarness, withAccountCopy, type Harness } from '../helpers/harness.js';
import { onappVmLabelled, providerFailed, secretWindowsShown } from '../helpers/quoted-back.js';

/**
 * A hostile OnApp front quotes its password in full-width letters (which NFKC reads as the ASCII
 * ones) written as Python's 8-digit escape (`\U0000ff24` for "Ｄ"), all of it or one letter inside
 * it: the scrubber read `\uFF24` and `\u{ff24}`, not this, so the whole password (or the 7
 * characters before the letter) reached the VM's name, its raw label, the client's error and the
 * log. In a label the escape is the text of the name (its JSON holds `\\U...`); in a plain-text
 * error it stands with one backslash.
 */
const PASSWORD = 'Dnb7Kq8Rw2Zx4LmTpQ';
type Front = 'onapp-full-width';

const longFullWidth = (char: string): string => `\\U${(char.charCodeAt(0) + 0xfee0).toString(16).padStart(8, '0')}`;
const QUOTED = [[...PASSWORD].map(longFullWidth).join(''), `Dnb7Kq8${longFullWidth('R')}w2Zx4LmTpQ`];
/** What a reader of the escapes makes of a quote: the full-width letters NFKC reads as the password's. */
const readBack = (text: string): string => text.replace(/\\+U0000(ff[0-5][0-9a-f])/gi, (_escape, hex: string) => String.fromCharCode(parseInt(hex, 16))).normalize('NFKC');

describe('a password in full-width letters written as Python\'s \\U escapes', () => {
  let harness: Harness;
  let fronts: AnsweringFronts<Front>;

  beforeAll(async () => {
    fronts = await startAnsweringFronts<Front>({ 'onapp-full-width': { status: 200, body: '[]' } });
    harness = await startHarness({
      kinds: ['onapp'],
      configure: [withAccountCopy('onapp', { id: 'onapp-full-width', url: fronts.urls['onapp-full-width'], retries: 0, auth: { username: 'gateway-user', password: PASSWORD } })],
    });
  });
  afterAll(async () => {
    await harness?.close();
    await fronts?.close();
  });

  it('reaches neither a VM name, nor its raw label, nor the client error, nor the log', async () => {
    const leaks: string[] = [];
    for (const quoted of QUOTED) {
      const { name, rawLabel, texts } = await onappVmLabelled(harness, fronts, 'onapp-full-width', `vm ${quoted} end`);
      if (name !== 'vm [redacted] end' || rawLabel !== name || secretWindowsShown(texts.map(readBack), PASSWORD, 7).length > 0) leaks.push(`${quoted} in a label: ${JSON.stringify(name)}`);
      const { message, texts: errorTexts } = await providerFailed(harness, fronts, 'onapp-full-width', 422, `Invalid password ${quoted} end`);
      if (message.includes('Dnb7Kq8') || message.includes(quoted) || secretWindowsShown(errorTexts.map(readBack), PASSWORD, 7).length > 0) leaks.push(`${quoted} in an error: ${JSON.stringify(message)}`);
    }
    expect(leaks).toEqual([]);
  });

  it('leaves full-width letters no secret holds as they came (a guard)', async () => {
    const label = `Tom ${[...'Jerry'].map(longFullWidth).join('')}`;
    const { name, rawLabel } = await onappVmLabelled(harness, fronts, 'onapp-full-width', label);
    expect(name).toBe(label);
    expect(rawLabel).toBe(name);
  });
});
