import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAnsweringFronts, type AnsweringFronts } from '../helpers/answering-fronts.js';
import { startHarness, withAccountCopy, type Harness } from '../helpers/harness.js';
import { onappVmLabelled, providerFailed, secretWindowsShown } from '../helpers/quoted-back.js';

/**
 * A hostile OnApp front quotes its password in two halves of 7 with a double quote and a space
 * between them (`b7Kq8Rw" 2Zx4LmT`, `b7Kq8Rw "2Zx4LmT`; in its JSON answer `\" `): the piece search
 * passed over a quote only between two letters or digits, so both halves reached the VM's name,
 * its raw label, the client's error and the log.
 */
const PASSWORD = 'b7Kq8Rw2Zx4LmTpQ';
type Front = 'onapp-quoted';

const QUOTED = ['vm b7Kq8Rw" 2Zx4LmT end', 'vm b7Kq8Rw "2Zx4LmT end', 'vm b7Kq8Rw"  2Zx4LmT end', 'vm 8Rw2Zx4\n"LmTpQ end'];

describe('a password in halves with a quote and a space between them', () => {
  let harness: Harness;
  let fronts: AnsweringFronts<Front>;

  beforeAll(async () => {
    fronts = await startAnsweringFronts<Front>({ 'onapp-quoted': { status: 200, body: '[]' } });
    harness = await startHarness({
      kinds: ['onapp'],
      configure: [withAccountCopy('onapp', { id: 'onapp-quoted', url: fronts.urls['onapp-quoted'], retries: 0, auth: { username: 'gateway-user', password: PASSWORD } })],
    });
  });
  afterAll(async () => {
    await harness?.close();
    await fronts?.close();
  });

  it('reaches neither a VM name, nor its raw label, nor the client error, nor the log', async () => {
    const leaks: string[] = [];
    for (const label of QUOTED) {
      const { name, rawLabel, texts } = await onappVmLabelled(harness, fronts, 'onapp-quoted', label);
      if (name !== 'vm [redacted] end' || rawLabel !== name || secretWindowsShown(texts, PASSWORD, 8).length > 0) leaks.push(`${label} in a label: ${JSON.stringify(name)}`);
      const quoted = label.slice('vm '.length);
      const { message, texts: errorTexts } = await providerFailed(harness, fronts, 'onapp-quoted', 422, JSON.stringify({ errors: [`Invalid password ${quoted}`] }));
      if (message !== 'Invalid password [redacted] end' || secretWindowsShown(errorTexts, PASSWORD, 8).length > 0) leaks.push(`${label} in an error: ${JSON.stringify(message)}`);
    }
    expect(leaks).toEqual([]);
  });

  it('leaves a quote standing between spaces and the JSON between two fields as they came', async () => {
    for (const label of ['vm b7Kq8Rw " 2Zx4LmT', 'say "hello" world']) {
      const { name, rawLabel } = await onappVmLabelled(harness, fronts, 'onapp-quoted', label);
      expect(name).toBe(label);
      expect(rawLabel).toBe(label);
    }
  });
});
