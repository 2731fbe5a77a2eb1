import { describe, expect, it } from 'vitest';
import { sweepKeys } from '../../src/observability/sweep-keys.js';

describe('the protection sweep keys', () => {
  it('are the same for the same accounts in any order, and differ for another set', () => {
    expect(sweepKeys(['zomro-nl', 'danube-ams'])).toEqual(sweepKeys(['danube-ams', 'zomro-nl']));
    expect(sweepKeys(['zomro-nl'])).not.toEqual(sweepKeys(['zomro-nl', 'danube-ams']));
    // Ids are joined unambiguously: ["a,b"] is not ["a", "b"].
    expect(sweepKeys(['a,b'])).not.toEqual(sweepKeys(['a', 'b']));
    expect(sweepKeys(['zomro-nl']).lease).toMatch(/^protection-sweep:[0-9a-f]{16}:lease$/);
  });
});
