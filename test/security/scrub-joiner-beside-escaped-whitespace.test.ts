import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAnsweringFronts, type AnsweringFronts } from '../helpers/answering-fronts.js';
import { startHarness, withAccountCopy, type Harness } from '../helpers/harness.js';
import { onappVmLabelled, providerFailed, secretWindowsShown } from '../helpers/quoted-back.js';

/**
 * A hostile OnApp front quotes its password in two pieces joined by a joiner or its escape with a
 * tab or line break beside it (`Dnb7Kq8 &lt;<TAB>Rw2Zx4L`), which its JSON writes as `\t` or `\n`:
 * the scrubber counted only whitespace as it stands beside a joiner, so 7 characters on either side
 * reached the VM's name, its raw label, the client's error and the log.
 */
const PASSWORD = 'Dnb7Kq8Rw2Zx4LmTpQ';
type Front = 'onapp-tabbed';

const QUOTED = ['vm Dnb7Kq8 &lt;\tRw2Zx4L end', 'vm Dnb7Kq8\t&amp;\nRw2Zx4L end', 'vm Dnb7Kq8 %2F\r\n%52w2Zx4L end', 'vm Dnb7Kq8 -\tRw2Zx4L end'];

describe('a password in pieces joined by a joiner beside escaped whitespace in JSON', () => {
  let harness: Harness;
  let fronts: AnsweringFronts<Front>;

  beforeAll(async () => {
    fronts = await startAnsweringFronts<Front>({ 'onapp-tabbed': { status: 200, body: '[]' } });
    harness = await startHarness({
      kinds: ['onapp'],
      configure: [withAccountCopy('onapp', { id: 'onapp-tabbed', url: fronts.urls['onapp-tabbed'], retries: 0, auth: { username: 'gateway-user', password: PASSWORD } })],
    });
  });
  afterAll(async () => {
    await harness?.close();
    await fronts?.close();
  });

  it('reaches neither a VM name, nor its raw label, nor the client error, nor the log', async () => {
    const leaks: string[] = [];
    for (const label of QUOTED) {
      const { name, rawLabel, texts } = await onappVmLabelled(harness, fronts, 'onapp-tabbed', label);
      if (name !== 'vm [redacted] end' || rawLabel !== name || secretWindowsShown(texts, PASSWORD, 7).length > 0) leaks.push(`${JSON.stringify(label)} in a label: ${JSON.stringify(name)}`);
      const quoted = label.slice('vm '.length);
      const { message, texts: errorTexts } = await providerFailed(harness, fronts, 'onapp-tabbed', 422, JSON.stringify({ errors: [`Invalid password ${quoted}`] }));
      if (message !== 'Invalid password [redacted] end' || secretWindowsShown(errorTexts, PASSWORD, 7).length > 0) leaks.push(`${JSON.stringify(label)} in an error: ${JSON.stringify(message)}`);
    }
    expect(leaks).toEqual([]);
  });

  it('leaves a joiner beside escaped whitespace that makes no 8 characters of it as it came', async () => {
    for (const label of ['Tom &amp;\tJerry', 'vm Dnb7 &lt;\tKq8', 'a -\n%4Bq8R']) {
      const { name, rawLabel } = await onappVmLabelled(harness, fronts, 'onapp-tabbed', label);
      expect(name).toBe(label);
      expect(rawLabel).toBe(label);
    }
  });
});
