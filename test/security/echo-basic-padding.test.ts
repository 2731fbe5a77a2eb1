import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ONAPP_SIM_API_KEY, ONAPP_SIM_USER } from '../../src/providers/onapp/simulator.js';
import type { Harness } from '../helpers/harness.js';
import { type EchoedList, listBehindEcho } from '../helpers/onapp-echo.js';

/**
 * An OnApp stand-in quoting the Basic header it was sent (the 'echo' fault: a 422 whose message
 * holds `Authorization "Basic <base64>"`): the redaction covers the whole credential token, its
 * base64 padding too. `Basic [redacted]=` told a reader the pair's length mod 3.
 */

/** Accounts whose `user:key` pair is 44, 43 and 42 bytes: its base64 padded with "=", "==" and nothing. */
const ACCOUNTS = [
  { id: 'onapp-test', password: ONAPP_SIM_API_KEY, padding: '=' },
  { id: 'onapp-two-pads', password: ONAPP_SIM_API_KEY.slice(0, -1), padding: '==' },
  { id: 'onapp-no-pad', password: ONAPP_SIM_API_KEY.slice(0, -2), padding: '' },
] as const;

describe('echo: an OnApp error quoting the Basic header leaves none of its base64, padding included', () => {
  let harness: Harness;
  let answer: EchoedList;

  beforeAll(async () => {
    answer = await listBehindEcho(ACCOUNTS, 'echo');
    harness = answer.harness;
  });
  afterAll(() => harness.close());

  it('is the pairs this test means: the first the simulator\'s own, padded as named', () => {
    expect(harness.providerId('onapp')).toBe(ACCOUNTS[0].id);
    for (const { password, padding } of ACCOUNTS) expect(Buffer.from(`${ONAPP_SIM_USER}:${password}`).toString('base64').replace(/^[^=]*/, '')).toBe(padding);
  });

  for (const { id, padding } of ACCOUNTS) {
    it(`${id} (base64 padded "${padding}"): the provider's words arrive with the header's token redacted whole`, () => {
      const error = answer.errors.find((found) => found.provider.id === id);
      expect(error?.code).toBe('PROVIDER_ERROR');
      expect(error?.message).toMatch(/Authorization "Basic \[redacted\]" \(\[redacted\]\) is not permitted/);
    });
  }

  it('no answer nor log line holds a redaction followed by padding, as written or URL-encoded', () => {
    expect(harness.logs.length).toBeGreaterThan(0);
    for (const text of [answer.text, ...harness.logs]) expect(text).not.toMatch(/\[redacted\](=|%3D|\\u003d)/i);
  });
});
