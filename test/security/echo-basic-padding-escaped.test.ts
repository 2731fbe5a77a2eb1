import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ONAPP_SIM_API_KEY } from '../../src/providers/onapp/simulator.js';
import { readThrough } from '../../src/upstream/escaped-secrets.js';
import type { Harness } from '../helpers/harness.js';
import { type EchoedList, listBehindEcho } from '../helpers/onapp-echo.js';

/**
 * An OnApp stand-in quoting the Basic header it was sent behind escapes inside escapes (the 'echo'
 * fault with `nestedEscapes`: each character other than a letter or digit URL-encoded twice, as a
 * decimal reference or as a named one, the body JSON-encoded with "&" as `\u0026`). The header's
 * base64 is letters and digits, so it stands as sent, and only its padding is escaped: `%253D`,
 * `&#00000061;`, `&equals;`. Left beside the redaction, it told the `user:key` pair's length mod 3.
 */

/** Accounts whose `user:key` pair's base64 is padded with "=" and "==". */
const ACCOUNTS = [
  { id: 'onapp-test', password: ONAPP_SIM_API_KEY },
  { id: 'onapp-two-pads', password: ONAPP_SIM_API_KEY.slice(0, -1) },
] as const;

describe('echo behind nested escapes: an OnApp error quoting the Basic header leaves none of its padding', () => {
  let harness: Harness;
  let answer: EchoedList;

  beforeAll(async () => {
    answer = await listBehindEcho(ACCOUNTS, { mode: 'echo', nestedEscapes: true });
    harness = answer.harness;
  });
  afterAll(() => harness.close());

  for (const { id } of ACCOUNTS) {
    it(`${id}: the provider's words, read through their escapes, hold the header's token redacted whole`, () => {
      const error = answer.errors.find((found) => found.provider.id === id);
      expect(error?.code).toBe('PROVIDER_ERROR');
      expect(readThrough(error?.message ?? '')).toMatch(/Authorization "Basic \[redacted\]" \(\[redacted\]\) is not permitted/);
    });
  }

  it('no answer nor log line, read through its escapes, holds a redaction followed by padding', () => {
    expect(harness.logs.length).toBeGreaterThan(0);
    for (const text of [answer.text, ...harness.logs]) expect(readThrough(text)).not.toMatch(/\[redacted\]=/);
  });
});
