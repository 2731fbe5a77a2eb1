import { describe, expect, it } from 'vitest';
import { sweepKeys, type SweptAccount } from '../../src/observability/sweep-keys.js';

const account = (id: string, url = `https://${id}.example/api`, kind = 'zomro'): SweptAccount => ({ id, kind, url });

describe('the protection sweep keys', () => {
  it('are the same for the same accounts in any order, and differ for another set', () => {
    expect(sweepKeys([account('zomro-nl'), account('danube-ams')])).toEqual(sweepKeys([account('danube-ams'), account('zomro-nl')]));
    expect(sweepKeys([account('zomro-nl')])).not.toEqual(sweepKeys([account('zomro-nl'), account('danube-ams')]));
    // Ids are joined unambiguously: ["a,b"] is not ["a", "b"].
    expect(sweepKeys([account('a,b', 'https://x.example/')])).not.toEqual(sweepKeys([account('a', 'https://x.example/'), account('b', 'https://x.example/')]));
    expect(sweepKeys([account('zomro-nl')]).lease).toMatch(/^protection-sweep:[0-9a-f]{16}:lease$/);
  });

  it("tell apart accounts of one id at other urls or of another kind (another deployment's), but not one url written two ways", () => {
    expect(sweepKeys([account('panel-1', 'https://prod.example/api')])).not.toEqual(sweepKeys([account('panel-1', 'https://staging.example/api')]));
    expect(sweepKeys([account('panel-1', 'https://prod.example/api', 'zomro')])).not.toEqual(sweepKeys([account('panel-1', 'https://prod.example/api', 'onapp')]));
    expect(sweepKeys([account('panel-1', 'https://PROD.example/api/')])).toEqual(sweepKeys([account('panel-1', 'https://prod.example/api')]));
    // Every trailing slash, as the upstream client drops them: replicas whose configs write the url so still share one lease.
    expect(sweepKeys([account('panel-1', 'https://prod.example/api//')])).toEqual(sweepKeys([account('panel-1', 'https://prod.example/api')]));
    // The result beside its lease, each set's its own: an emptied result key was one for every set (mutation testing, 2026-12-07).
    const { lease, result } = sweepKeys([account('zomro-nl')]);
    expect(result).toBe(lease.replace(/:lease$/, ':result'));
    expect(sweepKeys([account('danube-ams')]).result).not.toBe(result);
  });
});
