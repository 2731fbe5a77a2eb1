import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness, withAccountCopy } from '../helpers/harness.js';
import { secretWindowsShown } from '../helpers/quoted-back.js';

/**
 * An OnApp stand-in quoting the credentials it was sent (the 'echo' fault) with every run of
 * letters and digits cut every 7 characters by a joiner escaped four levels deep or more, each
 * level holding a marker (`wordsCutBy`): `\u005c\u005c\u005c\u005c\u002d` is the text's own
 * `\\\\-` written as JSON escapes, and the answer's JSON doubles each backslash again. The
 * scrubber read three such levels, so each piece of 7 of the password reached the client's error
 * and the log, the whole password in three.
 */

const LIST = '{ instances(first: 500) { edges { node { id } } providerErrors { provider { id } code message } } }';
const PASSWORD = 'Dnb7Kq8Rw2Zx4LmTpQ';
const ACCOUNT = 'onapp-cut';

interface ListAnswer {
  instances: { providerErrors: Array<{ provider: { id: string }; code: string; message: string }> };
}

const CUTS = {
  'four levels': '\\u005c\\u005c\\u005c\\u005c\\u002d',
  'four levels, each backslash doubled': '\\\\u005c\\\\u005c\\\\u005c\\\\u005c\\\\u002d',
  '&amp; levels with their ";" URL-encoded': '%2526amp%253Bamp%253Bamp%253Bamp%253Blt%253B',
};

describe('echo cut by joiners escaped four levels deep, each level holding a marker: no piece of the password reaches a client or the log', () => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness({
      kinds: ['onapp'],
      configure: [withAccountCopy('onapp', (original) => ({ id: ACCOUNT, retries: 0, auth: { ...(original.auth as object), password: PASSWORD } }))],
    });
  });
  afterAll(() => harness?.close());

  for (const [name, between] of Object.entries(CUTS)) {
    it(`${name}: the error quoting the password holds it redacted, and neither the answer nor a log line shows 7 of its characters`, async () => {
      await harness.simulator('onapp').server.setFault({ mode: 'echo', wordsCutBy: between });
      const logsBefore = harness.logs.length;
      const list = await harness.gql<ListAnswer>(LIST);
      const error = list.data!.instances.providerErrors.find((found) => found.provider.id === ACCOUNT);
      expect(error?.code).toBe('PROVIDER_ERROR');
      expect(error?.message).toContain('(sim-ops@example.com:[redacted]) is not permitt');
      const texts = [list.text, ...harness.logs.slice(logsBefore)];
      expect(secretWindowsShown(texts, PASSWORD, 7)).toEqual([]);
    });
  }
});
