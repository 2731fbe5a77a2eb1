import { beforeAll, describe, expect, it } from 'vitest';
import { GatewayError, providerError } from '../../src/domain/errors.js';
import { ACTION_NOT_PERMITTED, NOT_FOUND_AT_PROVIDER, loginNotFound, refusedRead, statusError, type StatusErrorTable } from '../../src/providers/http-errors.js';
import { SecretSet } from '../../src/upstream/secrets.js';

const PASSWORD = 'correct-horse-battery-42';

/** An account whose refusals and misdirections are counted, as an UpstreamClient's health reads them. */
function account() {
  const secrets = new SecretSet();
  secrets.add(PASSWORD);
  const seen = { refused: 0, misdirected: 0 };
  return { providerId: 'acct', secrets, seen, callRefused: () => void seen.refused++, answeredByAnotherServer: () => void seen.misdirected++ };
}

interface Body {
  message: string;
  onlyThisAction?: boolean;
}

const table: StatusErrorTable<Body> = {
  refused: 'session',
  refusesOneAction: (body) => body.onlyThisAction === true,
  notFound: (body) => `gone: ${body.message}`,
  byStatus: {
    409: (provider, body) => new GatewayError('CONFLICT', `busy: ${body.message}`, { provider }),
    422: () => null,
  },
  otherwise: (provider, body, status) => providerError(provider, `failed ${status}: ${body.message}`, `HTTP_${status}`),
};

describe('statusError: what a provider\'s HTTP error status maps to', () => {
  let acct: ReturnType<typeof account>;
  beforeAll(() => {
    acct = account();
  });

  it('401: the session refused, the operator told where to look, health marked; no provider words', () => {
    const before = acct.seen.refused;
    const error = statusError(acct, 401, { message: 'nope' }, table);
    expect(error).toMatchObject({ code: 'PROVIDER_ERROR', details: { provider: 'acct', providerCode: 'HTTP_401' } });
    expect(error.message).toBe("provider acct refused the gateway's session (HTTP 401): the gateway's operator must check the account's auth in the config (or the secret file it names) against the provider's panel");
    expect(acct.seen.refused).toBe(before + 1);
  });

  it("403 the provider's words do not mark as one action's: the credentials refused, the user's rights named too, health marked", () => {
    const before = acct.seen.refused;
    const error = statusError(acct, 403, { message: 'Forbidden' }, { ...table, refused: 'credentials' });
    expect(error).toMatchObject({ code: 'PROVIDER_ERROR', details: { provider: 'acct', providerCode: 'HTTP_403' } });
    expect(error.message).toBe("provider acct refused the gateway's credentials (HTTP 403): the gateway's operator must check the account's auth in the config (or the secret file it names), and the user's rights in the provider's panel");
    expect(acct.seen.refused).toBe(before + 1);
    // A table with no refusesOneAction: every 403 is the credentials'.
    const { refusesOneAction: _none, ...plain } = table;
    expect(statusError(acct, 403, { message: 'x', onlyThisAction: true }, plain).details.providerCode).toBe('HTTP_403');
    expect(acct.seen.refused).toBe(before + 2);
  });

  it('403 refusing one action: ACTION_NOT_PERMITTED, and health left alone', () => {
    const before = acct.seen.refused;
    const error = statusError(acct, 403, { message: 'no right', onlyThisAction: true }, table);
    expect(error).toMatchObject({ code: 'PROVIDER_ERROR', details: { provider: 'acct', providerCode: ACTION_NOT_PERMITTED } });
    expect(ACTION_NOT_PERMITTED).toBe('ACTION_NOT_PERMITTED');
    expect(error.message).toBe("provider acct refused this action to the gateway's account (HTTP 403): the account's user lacks the right for it in the provider's panel, which only the gateway's operator can grant; its other calls are not refused");
    expect(acct.seen.refused).toBe(before);
    // The one-action words on a 401 are no one action's: the session refused.
    expect(statusError(acct, 401, { message: 'x', onlyThisAction: true }, table).details.providerCode).toBe('HTTP_401');
    expect(acct.seen.refused).toBe(before + 1);
  });

  it("404: NOT_FOUND with the table's words and HTTP_404; health left alone", () => {
    const before = acct.seen.refused;
    const error = statusError(acct, 404, { message: 'vm-1' }, table);
    expect(error).toMatchObject({ code: 'NOT_FOUND', message: 'gone: vm-1', details: { provider: 'acct', providerCode: 'HTTP_404' } });
    expect(acct.seen.refused).toBe(before);
    expect(NOT_FOUND_AT_PROVIDER()).toBe('not found at the provider');
  });

  it("a status of the table's own means what it says; one it answers null for, and any other, is the provider's failure", () => {
    const before = acct.seen.refused;
    expect(statusError(acct, 409, { message: 'locked' }, table)).toMatchObject({ code: 'CONFLICT', message: 'busy: locked' });
    expect(statusError(acct, 422, { message: 'odd' }, table)).toMatchObject({ code: 'PROVIDER_ERROR', message: 'failed 422: odd', details: { providerCode: 'HTTP_422' } });
    expect(statusError(acct, 500, { message: 'boom' }, table)).toMatchObject({ code: 'PROVIDER_ERROR', message: 'failed 500: boom', details: { providerCode: 'HTTP_500' } });
    const { byStatus: _none, ...plain } = table;
    expect(statusError(acct, 409, { message: 'locked' }, plain)).toMatchObject({ code: 'PROVIDER_ERROR', message: 'failed 409: locked' });
    expect(acct.seen.refused).toBe(before);
  });

  it("the account's secrets are scrubbed from the message the table's words make", () => {
    const error = statusError(acct, 500, { message: `bad password ${PASSWORD}` }, table);
    expect(error.message).not.toContain(PASSWORD);
    expect(error.message).toContain('[redacted]');
    const found = statusError(acct, 404, { message: PASSWORD }, table);
    expect(found.message).not.toContain(PASSWORD);
    expect(found.details.providerCode).toBe('HTTP_404');
  });
});

describe("refusedRead: a provider's bad-input answer to a read is the provider's failure", () => {
  it('BAD_USER_INPUT becomes PROVIDER_ERROR with its words and details, never the client\'s fields', () => {
    const refused = new GatewayError('BAD_USER_INPUT', 'limit is invalid', { provider: 'acct', providerCode: 'E1', fields: ['limit'] });
    const read = refusedRead(refused);
    expect(read).toMatchObject({ code: 'PROVIDER_ERROR', message: 'limit is invalid' });
    expect(read.details).toEqual({ provider: 'acct', providerCode: 'E1' });
  });

  it('any other error is passed on as it was', () => {
    const other = new GatewayError('NOT_FOUND', 'x', { provider: 'acct' });
    expect(refusedRead(other)).toBe(other);
  });
});

describe('loginNotFound: a 404 to the login itself', () => {
  it("says the url is wrong, not the credentials, with HTTP_404, and marks the account answered by another server", () => {
    const acct = account();
    const error = loginNotFound(acct);
    expect(error).toMatchObject({ code: 'PROVIDER_ERROR', details: { provider: 'acct', providerCode: 'HTTP_404' } });
    expect(error.message).toBe("provider acct has no login where its url points (HTTP 404): check the account's url in the config (the API's base URL)");
    expect(acct.seen).toEqual({ refused: 0, misdirected: 1 });
  });
});
