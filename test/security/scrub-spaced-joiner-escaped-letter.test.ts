import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAnsweringFronts, type AnsweringFronts } from '../helpers/answering-fronts.js';
import { startHarness, withAccountCopy, type Harness } from '../helpers/harness.js';
import { onappVmLabelled, providerFailed, secretWindowsShown } from '../helpers/quoted-back.js';

/**
 * A hostile OnApp front quotes its password in pieces joined by ` &amp; ` (or another joiner's
 * escape with spaces) and writes the letter or digit beside a space as an escape
 * (`Dnb7 &amp; %4Bq8R...`, `Dnb7Kq&#56; &amp; Rw2Zx4L`): the joiner's escape was read past spaces
 * only where a plain letter or digit stood, so the pieces on either side reached the VM's name, its
 * raw label, the client's error and the log.
 */
const PASSWORD = 'Dnb7Kq8Rw2Zx4LmTpQ';
type Front = 'onapp-and-escaped';

const QUOTED = ['vm Dnb7 &amp; %4Bq8Rw2Zx4LmT end', 'vm Dnb7Kq8 &amp; %52w2Zx4L end', 'vm Dnb7Kq&#56; &amp; Rw2Zx4L end', 'vm Dnb7Kq8  %2F  &#x52;w2Zx4L end', 'vm Dnb7Kq8&quot; %52w2Zx4L end'];

describe('a password in pieces joined by an escaped joiner with spaces, beside an escaped letter', () => {
  let harness: Harness;
  let fronts: AnsweringFronts<Front>;

  beforeAll(async () => {
    fronts = await startAnsweringFronts<Front>({ 'onapp-and-escaped': { status: 200, body: '[]' } });
    harness = await startHarness({
      kinds: ['onapp'],
      configure: [withAccountCopy('onapp', { id: 'onapp-and-escaped', url: fronts.urls['onapp-and-escaped'], retries: 0, auth: { username: 'gateway-user', password: PASSWORD } })],
    });
  });
  afterAll(async () => {
    await harness?.close();
    await fronts?.close();
  });

  it('reaches neither a VM name, nor its raw label, nor the client error, nor the log', async () => {
    const leaks: string[] = [];
    for (const label of QUOTED) {
      const { name, rawLabel, texts } = await onappVmLabelled(harness, fronts, 'onapp-and-escaped', label);
      if (name !== 'vm [redacted] end' || rawLabel !== name || secretWindowsShown(texts, PASSWORD, 8).length > 0) leaks.push(`${label} in a label: ${JSON.stringify(name)}`);
      const quoted = label.slice('vm '.length);
      const { message, texts: errorTexts } = await providerFailed(harness, fronts, 'onapp-and-escaped', 422, JSON.stringify({ errors: [`Invalid password ${quoted}`] }));
      if (message !== 'Invalid password [redacted] end' || secretWindowsShown(errorTexts, PASSWORD, 8).length > 0) leaks.push(`${label} in an error: ${JSON.stringify(message)}`);
    }
    expect(leaks).toEqual([]);
  });

  it('leaves ` &amp; ` beside escaped letters that make no 8 characters of it as it came', async () => {
    for (const label of ['Tom &amp; %4Aerry', 'vm Dnb7 &amp; %4Bq8', 'R&#38;D &amp; &#65;T&amp;T']) {
      const { name, rawLabel } = await onappVmLabelled(harness, fronts, 'onapp-and-escaped', label);
      expect(name).toBe(label);
      expect(rawLabel).toBe(label);
    }
  });
});
