import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAnsweringFronts, type AnsweringFronts } from '../helpers/answering-fronts.js';
import { startHarness, withAccountCopy, type Harness } from '../helpers/harness.js';
import { onappVmLabelled, providerFailed, secretWindowsShown } from '../helpers/quoted-back.js';

/**
 * A hostile OnApp front quotes ten letters of a letters-only password (`nightowlpassword`) with
 * each letter, or some, written as an escape (`%6E%69%67...`, `&#104;&#116;...`, `night%6F%77...`):
 * the letter-run search read the answer as it stands, the search through escapes looked for the
 * whole password only, and the ten letters reached the VM's name, its raw label, the client's error
 * and the log.
 */
const PASSWORD = 'nightowlpassword';
type Front = 'onapp-letters';

const hex = (code: number): string => code.toString(16).padStart(2, '0');
const everyChar = (text: string, write: (code: number) => string, every = 1): string => [...text].map((char, at) => (at % every === 0 ? write(char.charCodeAt(0)) : char)).join('');

const QUOTED = [
  `vm ${everyChar(PASSWORD.slice(0, 10), (code) => `%${hex(code)}`)} end`,
  `vm ${everyChar(PASSWORD.slice(3, 13), (code) => `&#${code};`)} end`,
  `vm ${everyChar(PASSWORD.slice(6, 16).toUpperCase(), (code) => `\\u00${hex(code)}`)} end`,
  `vm night${everyChar('owlpa', (code) => `%${hex(code).toUpperCase()}`)} end`,
  `vm ${everyChar(PASSWORD.slice(1, 11), (code) => `&#x${hex(code)};`, 2)} end`,
];

describe('letters of a letters-only password written as escapes', () => {
  let harness: Harness;
  let fronts: AnsweringFronts<Front>;

  beforeAll(async () => {
    fronts = await startAnsweringFronts<Front>({ 'onapp-letters': { status: 200, body: '[]' } });
    harness = await startHarness({
      kinds: ['onapp'],
      configure: [withAccountCopy('onapp', { id: 'onapp-letters', url: fronts.urls['onapp-letters'], retries: 0, auth: { username: 'gateway-user', password: PASSWORD } })],
    });
  });
  afterAll(async () => {
    await harness?.close();
    await fronts?.close();
  });

  it('reach neither a VM name, nor its raw label, nor the client error, nor the log', async () => {
    const leaks: string[] = [];
    for (const label of QUOTED) {
      const { name, rawLabel, texts } = await onappVmLabelled(harness, fronts, 'onapp-letters', label);
      if (name !== 'vm [redacted] end' || rawLabel !== name || secretWindowsShown(texts, PASSWORD, 10).length > 0) leaks.push(`${label} in a label: ${JSON.stringify(name)}`);
      const quoted = label.slice('vm '.length);
      const { message, texts: errorTexts } = await providerFailed(harness, fronts, 'onapp-letters', 422, JSON.stringify({ errors: [`Invalid password ${quoted}`] }));
      if (message !== 'Invalid password [redacted] end' || secretWindowsShown(errorTexts, PASSWORD, 10).length > 0) leaks.push(`${label} in an error: ${JSON.stringify(message)}`);
    }
    expect(leaks).toEqual([]);
  });

  it('leaves nine letters of it and escapes of other letters as they came', async () => {
    for (const label of [`vm ${everyChar(PASSWORD.slice(0, 9), (code) => `%${hex(code)}`)}`, 'vm %41%42%43%44%45%46%47%48%49%4A', 'nightowls and passwords']) {
      const { name, rawLabel } = await onappVmLabelled(harness, fronts, 'onapp-letters', label);
      expect(name).toBe(label);
      expect(rawLabel).toBe(label);
    }
  });
});
