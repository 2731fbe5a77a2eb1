import { describe, expect, it } from 'vitest';
import { isApiKeyRefused, isSessionRefused } from '../../src/providers/danube/session-refused.js';

const answer = (status: number, body: unknown) => ({ status, headers: {}, body, bytes: 0 });

describe('isSessionRefused: which Danube refusals a new login can mend', () => {
  it('renews on the 403s esdc-ce sends for an expired or replaced token, in any case and with leading space', () => {
    expect(isSessionRefused(answer(403, { detail: 'Authentication credentials were not provided.' }))).toBe(true);
    expect(isSessionRefused(answer(403, { detail: 'Invalid token.' }))).toBe(true);
    expect(isSessionRefused(answer(403, { detail: '  INVALID TOKEN' }))).toBe(true);
    expect(isSessionRefused(answer(403, { detail: 'Incorrect authentication credentials.' }))).toBe(true);
  });

  it('renews on any 401, whatever its body (providers.md lists 401 for framework errors)', () => {
    expect(isSessionRefused(answer(401, null))).toBe(true);
    expect(isSessionRefused(answer(401, { detail: 'You do not have permission to perform this action.' }))).toBe(true);
  });

  it('does not renew on a 403 a login does not change: each login would delete the token other requests use', () => {
    expect(isSessionRefused(answer(403, { detail: 'You do not have permission to perform this action.' }))).toBe(false);
    expect(isSessionRefused(answer(403, { detail: 'User account is not allowed to access API' }))).toBe(false);
    // The words must open the detail, not merely appear in it (a provider quoting a client's input).
    expect(isSessionRefused(answer(403, { detail: 'VM note says: invalid token' }))).toBe(false);
    expect(isSessionRefused(answer(403, { detail: 'Invalid tokenizer' }))).toBe(false);
  });

  it('does not renew on a 403 without a string detail, or on other statuses with the words', () => {
    expect(isSessionRefused(answer(403, null))).toBe(false);
    expect(isSessionRefused(answer(403, { detail: ['Invalid token.'] }))).toBe(false);
    expect(isSessionRefused(answer(403, 'Invalid token.'))).toBe(false);
    expect(isSessionRefused(answer(400, { detail: 'Invalid token.' }))).toBe(false);
    expect(isSessionRefused(answer(500, { detail: 'Authentication credentials were not provided.' }))).toBe(false);
  });
});

describe('isApiKeyRefused: which Danube refusals are of the configured API key', () => {
  const answer = (status: number, detail?: unknown) => ({ status, headers: {}, body: detail === undefined ? {} : { detail } }) as never;
  it('is the API key refused ("Invalid API key", 403 or 401) or any session refusal', () => {
    expect(isApiKeyRefused(answer(403, 'Invalid API key'))).toBe(true);
    expect(isApiKeyRefused(answer(403, '  invalid API key.'))).toBe(true);
    expect(isApiKeyRefused(answer(401))).toBe(true);
    expect(isApiKeyRefused(answer(403, 'Authentication credentials were not provided.'))).toBe(true);
  });
  it('is not a permission one action lacks, nor another status', () => {
    expect(isApiKeyRefused(answer(403, 'You do not have permission to perform this action.'))).toBe(false);
    expect(isApiKeyRefused(answer(403, 'Invalid API keys are logged'))).toBe(false);
    expect(isApiKeyRefused(answer(403, { detail: 'Invalid API key' }))).toBe(false);
    expect(isApiKeyRefused(answer(403))).toBe(false);
    expect(isApiKeyRefused(answer(400, 'Invalid API key'))).toBe(false);
  });
});
