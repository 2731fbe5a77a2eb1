import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAnsweringFronts, type AnsweringFronts } from '../helpers/answering-fronts.js';
import { startHarness, withAccountCopy, type Harness } from '../helpers/harness.js';
import { onappVmLabelled, providerFailed, secretWindowsShown } from '../helpers/quoted-back.js';

/**
 * A hostile OnApp front quotes its password in pieces of 7 or fewer joined by ` &amp; ` (an HTML
 * writer's ` & `, a space on both sides): the piece search passes over `Dnb7Kq8 & Rw2Zx4L` as it
 * stands, but the escape with spaces on both sides was not read, and both halves reached the VM's
 * name, its raw label, the client's error and the log.
 */
const PASSWORD = 'Dnb7Kq8Rw2Zx4LmTpQ';
type Front = 'onapp-and';

const QUOTED = ['vm Dnb7Kq8 &amp; Rw2Zx4L end', 'vm Dnb7 &amp; Kq8Rw2 &amp; Zx4LmTpQ end', 'vm Dnb7Kq8  &amp;amp;  Rw2Zx4L end', 'vm Dnb7Kq8 %26 Rw2Zx4L end', 'vm Dnb7Kq8 &lt; Rw2Zx4L end'];

describe('a password in pieces joined by an escaped ampersand with spaces around it', () => {
  let harness: Harness;
  let fronts: AnsweringFronts<Front>;

  beforeAll(async () => {
    fronts = await startAnsweringFronts<Front>({ 'onapp-and': { status: 200, body: '[]' } });
    harness = await startHarness({
      kinds: ['onapp'],
      configure: [withAccountCopy('onapp', { id: 'onapp-and', url: fronts.urls['onapp-and'], retries: 0, auth: { username: 'gateway-user', password: PASSWORD } })],
    });
  });
  afterAll(async () => {
    await harness?.close();
    await fronts?.close();
  });

  it('reaches neither a VM name, nor its raw label, nor the client error, nor the log', async () => {
    const leaks: string[] = [];
    for (const label of QUOTED) {
      const { name, rawLabel, texts } = await onappVmLabelled(harness, fronts, 'onapp-and', label);
      if (name !== 'vm [redacted] end' || rawLabel !== name || secretWindowsShown(texts, PASSWORD, 8).length > 0) leaks.push(`${label} in a label: ${JSON.stringify(name)}`);
      const quoted = label.slice('vm '.length);
      const { message, texts: errorTexts } = await providerFailed(harness, fronts, 'onapp-and', 422, JSON.stringify({ errors: [`Invalid password ${quoted}`] }));
      if (message !== 'Invalid password [redacted] end' || secretWindowsShown(errorTexts, PASSWORD, 8).length > 0) leaks.push(`${label} in an error: ${JSON.stringify(message)}`);
    }
    expect(leaks).toEqual([]);
  });

  it('leaves ` &amp; ` between words that hold no 8 characters of it as it came', async () => {
    for (const label of ['Tom &amp; Jerry', 'vm Dnb7 &amp; Kq8', 'R &amp;D and AT&amp;T']) {
      const { name, rawLabel } = await onappVmLabelled(harness, fronts, 'onapp-and', label);
      expect(name).toBe(label);
      expect(rawLabel).toBe(label);
    }
  });
});
