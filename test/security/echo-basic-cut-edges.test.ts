import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness, withAccountCopy } from '../helpers/harness.js';

/**
 * An OnApp stand-in quoting the Basic header it was sent (the 'echo' fault) with every run of
 * letters and digits cut every 7 characters by a joiner (`wordsCutBy`): the pieces of the
 * password's base64 were redacted, but not the characters at their ends holding bits of the
 * password and of what is around it, so the error read `...mNvbTp[redacted]E="`: 2 bits of the
 * password's first character, 4 of its last and, by the padding, the pair's length mod 3. One
 * account per alignment (the pair's length mod 3: 0, 1, 2).
 */

const LIST = '{ instances(first: 500) { edges { node { id } } providerErrors { provider { id } code message } } }';
const USER = 'sim-ops@example.com';
const ACCOUNTS = { 'onapp-pair-0': 'Dnb7Kq8Rw2Zx4LmTpQa', 'onapp-pair-1': 'Dnb7Kq8Rw2Zx4LmTpQab', 'onapp-pair-2': 'Dnb7Kq8Rw2Zx4LmTpQ' };
/** How many of the pair's base64 characters hold bits of "user:" alone: no more of it may show. */
const USER_ONLY = Math.floor(((USER.length + 1) * 8) / 6);
const CUTS = { 'a dash': '-', 'a dash as a JSON escape': '\\u002d', 'a dash escaped four levels deep': '\\u005c\\u005c\\u005c\\u005c\\u002d' };

interface ListAnswer {
  instances: { providerErrors: Array<{ provider: { id: string }; code: string; message: string }> };
}

describe('echo of a Basic header cut by joiners: no base64 character holding a bit of the password stands beside the redaction', () => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness({
      kinds: ['onapp'],
      configure: Object.entries(ACCOUNTS).map(([id, password]) => withAccountCopy('onapp', (original) => ({ id, retries: 0, auth: { ...(original.auth as object), username: USER, password } }))),
    });
  });
  afterAll(() => harness?.close());

  for (const [name, between] of Object.entries(CUTS)) {
    it(`cut by ${name}: the header's quote ends at the redaction, at every alignment, in the answer and the log`, async () => {
      await harness.simulator('onapp').server.setFault({ mode: 'echo', wordsCutBy: between });
      const logsBefore = harness.logs.length;
      const list = await harness.gql<ListAnswer>(LIST);
      for (const [id, password] of Object.entries(ACCOUNTS)) {
        const message = list.data!.instances.providerErrors.find((found) => found.provider.id === id)?.message ?? '';
        const quoted = /"Basic ([^"]*)"/.exec(message)?.[1] ?? '';
        expect(quoted, `${id}: ${message}`).toMatch(/\[redacted\]$/);
        const shown = quoted.replace('[redacted]', '').split(between).join('');
        const header = Buffer.from(`${USER}:${password}`).toString('base64');
        expect(header.startsWith(shown) && shown.length <= USER_ONLY, `${id}: ${message}`).toBe(true);
      }
      for (const line of harness.logs.slice(logsBefore)) expect(line).not.toMatch(/\[redacted\][A-Za-z0-9+/=]/);
      expect(list.text).not.toMatch(/\[redacted\][A-Za-z0-9+/=]/);
    });
  }
});
