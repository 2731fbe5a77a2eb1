import { describe, expect, it } from 'vitest';
import { GatewayError, isGatewayError } from '../../src/domain/errors.js';
import { instanceListNotFound } from '../../src/gateway/instance-list-not-found.js';

/**
 * An account's whole instance list answered 404, by plain calls: test/providers/account-url-mistakes
 * asks it over HTTP of a server answering 404 everywhere; these are the errors it must leave alone.
 */
/** The account's side of it: how many times its health was told its url answered as no API does. */
const account = () => {
  const told = { providerId: 'onapp-1', misdirected: 0, answeredByAnotherServer: () => void told.misdirected++ };
  return told;
};

describe('instanceListNotFound', () => {
  it('tells a NOT_FOUND instance list as PROVIDER_ERROR HTTP_404, naming the account and saying to check its url; its health is told', () => {
    const onapp = account();
    const told = instanceListNotFound(new GatewayError('NOT_FOUND', 'not found at the provider'), onapp);
    expect(onapp.misdirected).toBe(1);
    expect(isGatewayError(told)).toBe(true);
    expect(told).toMatchObject({
      code: 'PROVIDER_ERROR',
      message: "provider onapp-1 answered its instance list with not found (HTTP 404): check the account's url in the config (the API's base URL)",
      details: { provider: 'onapp-1', providerCode: 'HTTP_404' },
    });
  });

  it('passes every other error on as it was, its health untold: another code, an error that is no GatewayError, a value that is no Error', () => {
    const others: unknown[] = [
      new GatewayError('PROVIDER_ERROR', 'provider onapp-1 answered HTTP 500', { provider: 'onapp-1', providerCode: 'HTTP_500' }),
      new GatewayError('UNAUTHENTICATED', 'refused'),
      Object.assign(new Error('not found'), { code: 'NOT_FOUND' }),
      { code: 'NOT_FOUND', message: 'a plain object' },
      'NOT_FOUND',
      undefined,
    ];
    const onapp = account();
    for (const error of others) expect(instanceListNotFound(error, onapp)).toBe(error);
    // Its health is the outage's or the refusal's own, told where that was read.
    expect(onapp.misdirected).toBe(0);
  });
});
