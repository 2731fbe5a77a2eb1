import { describe, expect, it } from 'vitest';
import type { ProviderHealthCause } from '../../src/domain/types.js';
import type { FailureClass } from '../../src/upstream/failure-class.js';
import { healthCauseOf } from '../../src/upstream/health-cause.js';

/**
 * Provider.healthCause, the API's word for why an account is not UP: every failure class maps to
 * one of the schema's enum values (a word outside it fails the field for every client reading it),
 * no finer than providerErrors tell them (every failure to connect is UNREACHABLE).
 */
const EXPECTED: Readonly<Record<FailureClass, ProviderHealthCause>> = {
  dns: 'UNREACHABLE',
  refused: 'UNREACHABLE',
  reset: 'UNREACHABLE',
  unreachable: 'UNREACHABLE',
  tls: 'UNREACHABLE',
  timeout: 'TIMEOUT',
  http_5xx: 'SERVER_ERROR',
  rate_limited: 'RATE_LIMITED',
  redirect: 'REDIRECT',
  credentials: 'CREDENTIALS_REFUSED',
  other: 'OTHER',
};

describe('healthCauseOf: why an account is not UP, in the API\'s words', () => {
  for (const [cause, word] of Object.entries(EXPECTED) as Array<[FailureClass, ProviderHealthCause]>) {
    it(`${cause} is ${word}, DEGRADED or DOWN`, () => {
      expect(healthCauseOf({ health: 'DEGRADED', cause })).toBe(word);
      expect(healthCauseOf({ health: 'DOWN', cause })).toBe(word);
    });
  }

  it('is null while UP, whatever the last failure was', () => {
    expect(healthCauseOf({ health: 'UP', cause: null })).toBeNull();
    expect(healthCauseOf({ health: 'UP', cause: 'timeout' })).toBeNull();
  });

  it('is OTHER for an account not UP with no failure recorded', () => {
    expect(healthCauseOf({ health: 'DOWN', cause: null })).toBe('OTHER');
    expect(healthCauseOf({ health: 'DEGRADED', cause: null })).toBe('OTHER');
  });
});
