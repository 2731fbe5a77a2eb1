import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAnsweringFronts, type AnsweringFronts } from '../helpers/answering-fronts.js';
import { startHarness, withAccountCopy, type Harness } from '../helpers/harness.js';
import { onappVmLabelled, providerFailed, secretWindowsShown } from '../helpers/quoted-back.js';

/**
 * A hostile OnApp front quotes its password in two halves of 7 with a quote's escape and a space
 * between them (`b7Kq8Rw&quot; 2Zx4LmT`, `b7Kq8Rw \u00222Zx4LmT`, `%2522 `): the piece search passes
 * over a bare quote and JSON's `\"` beside a space, but the escapes of a quote were read between
 * letters or digits only, so both halves reached the VM's name, its raw label, the client's error
 * and the log.
 */
const PASSWORD = 'b7Kq8Rw2Zx4LmTpQ';
type Front = 'onapp-quote-escaped';

const QUOTED = [
  'vm b7Kq8Rw&quot; 2Zx4LmT end',
  'vm b7Kq8Rw &#34;2Zx4LmT end',
  'vm b7Kq8Rw\\u0022  2Zx4LmT end',
  'vm b7Kq8Rw %25222Zx4LmT end',
  'vm b7Kq8Rw&amp;quot; 2Zx4LmT end',
  'vm b7Kq8Rw &#39; 2Zx4LmT end',
];

describe("a password in halves with a quote's escape and a space between them", () => {
  let harness: Harness;
  let fronts: AnsweringFronts<Front>;

  beforeAll(async () => {
    fronts = await startAnsweringFronts<Front>({ 'onapp-quote-escaped': { status: 200, body: '[]' } });
    harness = await startHarness({
      kinds: ['onapp'],
      configure: [withAccountCopy('onapp', { id: 'onapp-quote-escaped', url: fronts.urls['onapp-quote-escaped'], retries: 0, auth: { username: 'gateway-user', password: PASSWORD } })],
    });
  });
  afterAll(async () => {
    await harness?.close();
    await fronts?.close();
  });

  it('reaches neither a VM name, nor its raw label, nor the client error, nor the log', async () => {
    const leaks: string[] = [];
    for (const label of QUOTED) {
      const { name, rawLabel, texts } = await onappVmLabelled(harness, fronts, 'onapp-quote-escaped', label);
      if (name !== 'vm [redacted] end' || rawLabel !== name || secretWindowsShown(texts, PASSWORD, 8).length > 0) leaks.push(`${label} in a label: ${JSON.stringify(name)}`);
      const quoted = label.slice('vm '.length);
      const { message, texts: errorTexts } = await providerFailed(harness, fronts, 'onapp-quote-escaped', 422, JSON.stringify({ errors: [`Invalid password ${quoted}`] }));
      if (message !== 'Invalid password [redacted] end' || secretWindowsShown(errorTexts, PASSWORD, 8).length > 0) leaks.push(`${label} in an error: ${JSON.stringify(message)}`);
    }
    expect(leaks).toEqual([]);
  });

  it("leaves a quote's escape between spaces and quoted words as they came", async () => {
    for (const label of ['vm b7Kq8Rw &quot; 2Zx4LmT', 'say &quot;hello&quot; world', 'it&#39;s &#39;b7Kq8Rw&#39;']) {
      const { name, rawLabel } = await onappVmLabelled(harness, fronts, 'onapp-quote-escaped', label);
      expect(name).toBe(label);
      expect(rawLabel).toBe(label);
    }
  });
});
