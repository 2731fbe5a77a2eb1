import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { IDEMPOTENCY_TTL_MS, Idempotency, fingerprint } from '../../src/gateway/idempotency.js';
import { isIdempotencyRecord } from '../../src/gateway/idempotency-record.js';
import { MemoryStore } from '../../src/state/memory-store.js';

const print = fingerprint('createBackup', { name: 'n' });
/** Where Idempotency keeps client-a's record of key k1. */
const storeKey = createHash('sha256').update('client-a\nk1').digest('hex');

/** Records with this version's fingerprint but another shape: another version's, or another writer's, in a shared Redis. */
const FOREIGN: Array<[string, unknown]> = [
  ['done without a result', { fingerprint: print, state: 'done' }],
  ['done with a null result', { fingerprint: print, state: 'done', result: null }],
  ['failed without its failure', { fingerprint: print, state: 'failed' }],
  ['failed with an unknown code', { fingerprint: print, state: 'failed', failure: { code: 'EXPLODED', message: 'm', details: {} } }],
  ['failed without a message', { fingerprint: print, state: 'failed', failure: { code: 'PROVIDER_TIMEOUT', details: {} } }],
  ['failed with details of another shape', { fingerprint: print, state: 'failed', failure: { code: 'PROVIDER_ERROR', message: 'm', details: { provider: 42 } } }],
  ['failed with fields that are no strings', { fingerprint: print, state: 'failed', failure: { code: 'BAD_USER_INPUT', message: 'm', details: { fields: [1] } } }],
  ['failed with one field that is no string', { fingerprint: print, state: 'failed', failure: { code: 'BAD_USER_INPUT', message: 'm', details: { fields: ['name', 1] } } }],
  ['failed with a null failure', { fingerprint: print, state: 'failed', failure: null }],
  ['failed with no details', { fingerprint: print, state: 'failed', failure: { code: 'PROVIDER_TIMEOUT', message: 'm' } }],
  ['a state this version does not know', { fingerprint: print, state: 'running' }],
  ['a pending claim that is no string', { fingerprint: print, state: 'pending', claim: 7 }],
  ['a leased claim without its claim id (no live key to read)', { fingerprint: print, state: 'pending', lease: true }],
  ['a lease that is not true', { fingerprint: print, state: 'pending', claim: 'c0ffee', lease: 'yes' }],
  ['a lease marked false', { fingerprint: print, state: 'pending', claim: 'c0ffee', lease: false }],
  ['a refusal without the claim it stands in for', { fingerprint: print, state: 'refused', failure: { code: 'NOT_FOUND', message: 'm', details: {} } }],
  ['a refusal whose claim is no string', { fingerprint: print, state: 'refused', claim: 7, failure: { code: 'NOT_FOUND', message: 'm', details: {} } }],
  ['a refusal without its failure', { fingerprint: print, state: 'refused', claim: 'c0ffee' }],
  ['no fingerprint', { state: 'done', result: {} }],
  ['an array', [print, 'done']],
  ['a string', 'done'],
];

describe('idempotency records of another shape', () => {
  it.each(FOREIGN)('%s: CONFLICT at once, saying the first request may have acted, and nothing is sent', async (_name, value) => {
    const store = new MemoryStore();
    await store.set(storeKey, value, IDEMPOTENCY_TTL_MS);
    let acted = 0;
    const answer = new Idempotency(store).run('client-a', 'k1', 'createBackup', { name: 'n' }, async () => ++acted);
    await expect(answer).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('the first request with it may have acted') });
    expect(acted).toBe(0);
  });

  it("reads this version's own records", () => {
    const records = [
      { fingerprint: print, state: 'pending' },
      { fingerprint: print, state: 'pending', claim: 'c0ffee' },
      { fingerprint: print, state: 'pending', claim: 'c0ffee', lease: true },
      { fingerprint: print, state: 'done', result: { operation: { id: 'op' } } },
      { fingerprint: print, state: 'done', result: 'a' },
      { fingerprint: print, state: 'failed', failure: { code: 'PROVIDER_TIMEOUT', message: 'm', details: {} } },
      { fingerprint: print, state: 'done', result: 'a', claim: 'c0ffee' },
      { fingerprint: print, state: 'refused', claim: 'c0ffee', failure: { code: 'PROVIDER_UNAVAILABLE', message: 'm', details: { provider: 'p' } } },
      { fingerprint: print, state: 'failed', failure: { code: 'PROVIDER_ERROR', message: 'm', details: { provider: 'p', providerCode: 'X.1', capability: 'CREATE_BACKUP', fields: ['name'] } } },
    ];
    for (const record of records) expect(isIdempotencyRecord(record), JSON.stringify(record)).toBe(true);
    for (const [name, value] of FOREIGN) expect(isIdempotencyRecord(value), name).toBe(false);
  });
});
