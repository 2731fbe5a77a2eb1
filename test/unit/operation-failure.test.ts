import { describe, expect, it } from 'vitest';
import type { Operation } from '../../src/domain/types.js';
import { NO_PROVIDER_WORDS, failureOf } from '../../src/gateway/operation-failure.js';

const operation = (fields: Partial<Operation>): Operation => ({
  providerId: 'zstack-test',
  kind: 'CREATE_BACKUP',
  startedAt: new Date('2026-12-07T10:00:00Z'),
  instanceNativeId: 'vm-1',
  backupNativeId: null,
  token: ['job-1'],
  status: 'FAILED',
  finishedAt: null,
  error: null,
  providerOperationId: null,
  ...fields,
});

/**
 * Operation.failure by plain calls: test/gateway/operation-failure asks it over HTTP of the
 * failures the simulators make, each of which carries the provider's words.
 */
describe('failureOf', () => {
  it('is null for an operation that has not failed, whatever error text it holds', () => {
    for (const status of ['PENDING', 'RUNNING', 'SUCCEEDED'] as const) {
      expect(failureOf(operation({ status, error: 'a note', errorCode: 'NOT_FOUND' })), status).toBeNull();
    }
  });

  it('gives a FAILED operation its code, PROVIDER_ERROR where the adapter could tell none, and the provider\'s words', () => {
    expect(failureOf(operation({ error: 'cannot find volume', errorCode: 'NOT_FOUND' }))).toEqual({ code: 'NOT_FOUND', message: 'cannot find volume' });
    expect(failureOf(operation({ error: 'the backup storage is full' }))).toEqual({ code: 'PROVIDER_ERROR', message: 'the backup storage is full' });
  });

  it('says the provider gave no reason when a FAILED operation carries no words, never an empty message', () => {
    expect(NO_PROVIDER_WORDS).toMatch(/without saying why/);
    for (const error of [null, '']) {
      expect(failureOf(operation({ error })), String(error)).toEqual({ code: 'PROVIDER_ERROR', message: NO_PROVIDER_WORDS });
    }
  });
});
