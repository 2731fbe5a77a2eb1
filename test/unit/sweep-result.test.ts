import { describe, expect, it } from 'vitest';
import { isSweepResult } from '../../src/observability/sweep-result.js';

// The last sweep's result is read from the shared store at every scrape: a
// result of another shape must read as none (the gauges go absent), not throw
// inside the gauges' collect and fail /metrics.

const counts = { instances: 3, protected: 1, stale: 1, unprotected: 1, unknown: 0 };
const result = { finishedAt: 1_700_000_000_000, seconds: 0.25, providers: [{ id: 'zomro-1', counts }], failedProviders: ['onapp-1'] };

describe('a sweep result read from the shared store', () => {
  it('is used when it has the shape this version writes, with no providers or failures included', () => {
    expect(isSweepResult(result)).toBe(true);
    expect(isSweepResult({ ...result, providers: [], failedProviders: [] })).toBe(true);
    expect(isSweepResult({ ...result, providers: [{ id: 'a', counts }, { id: 'b', counts: { ...counts, extra: 'kept' } }] })).toBe(true);
  });

  it.each([
    ['null', null],
    ['text', 'result'],
    ['a list', [result]],
    ['no finish time', { ...result, finishedAt: undefined }],
    ['a finish time that is text', { ...result, finishedAt: '1700000000000' }],
    ['a finish time that is not finite', { ...result, finishedAt: Number.POSITIVE_INFINITY }],
    ['no duration', { ...result, seconds: undefined }],
    ['a duration that is NaN', { ...result, seconds: Number.NaN }],
    ['providers that are no list', { ...result, providers: { id: 'a', counts } }],
    ['failed providers that are no list', { ...result, failedProviders: 'onapp-1' }],
    ['a failed provider that is no text', { ...result, failedProviders: ['onapp-1', 7] }],
    ['a provider that is null', { ...result, providers: [{ id: 'a', counts }, null] }],
    ['a provider that is a list', { ...result, providers: [['a', counts]] }],
    ['a provider without an id', { ...result, providers: [{ counts }] }],
    ['a provider whose id is a number', { ...result, providers: [{ id: 1, counts }] }],
    ['a provider without counts', { ...result, providers: [{ id: 'a' }] }],
    ['a provider whose counts are null', { ...result, providers: [{ id: 'a', counts: null }] }],
    ['a provider whose counts are a list', { ...result, providers: [{ id: 'a', counts: [3, 1, 1, 1, 0] }] }],
  ])('is none when it is %s', (_name, value) => {
    expect(isSweepResult(value)).toBe(false);
  });

  it.each(['instances', 'protected', 'stale', 'unprotected', 'unknown'])('is none when a provider’s %s count is missing or not a finite number', (field) => {
    expect(isSweepResult({ ...result, providers: [{ id: 'a', counts: { ...counts, [field]: undefined } }] })).toBe(false);
    expect(isSweepResult({ ...result, providers: [{ id: 'a', counts: { ...counts, [field]: '1' } }] })).toBe(false);
    expect(isSweepResult({ ...result, providers: [{ id: 'a', counts: { ...counts, [field]: Number.NaN } }] })).toBe(false);
  });

  it.each(['instances', 'protected', 'stale', 'unprotected', 'unknown'])('is none when a provider’s %s count is negative, fractional or past a safe integer (another writer’s)', (field) => {
    for (const odd of [-1, -0.5, 2.5, 2 ** 53, Number.POSITIVE_INFINITY]) {
      expect(isSweepResult({ ...result, providers: [{ id: 'a', counts: { ...counts, [field]: odd } }] }), String(odd)).toBe(false);
    }
    expect(isSweepResult({ ...result, providers: [{ id: 'a', counts: { ...counts, [field]: 0 } }] })).toBe(true);
    expect(isSweepResult({ ...result, providers: [{ id: 'a', counts: { ...counts, [field]: 2 ** 53 - 1 } }] })).toBe(true);
  });

  it('takes fractional seconds and times (a sweep lasts 0.25 s), and negative ones are not counts', () => {
    expect(isSweepResult({ ...result, seconds: 0.001, finishedAt: 1_700_000_000_000.5 })).toBe(true);
    expect(isSweepResult({ ...result, providers: [{ id: 'a', counts, readAt: 1_700_000_000_000.5 }] })).toBe(true);
  });
});
