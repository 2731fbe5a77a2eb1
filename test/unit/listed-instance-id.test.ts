import { describe, expect, it } from 'vitest';
import type { Instance } from '../../src/domain/types.js';
import { listedInstanceId } from '../../src/gateway/listed-instance-id.js';

const instance = (nativeId: string): Instance => ({ providerId: 'danube', nativeId, name: nativeId, state: null, raw: {} });
const list = (...ids: string[]): readonly Instance[] => ids.map(instance);
// Danube's fold: a hostname in any case; one with a space is compared exactly (no fold).
const fold = (id: string): string | null => (id.includes(' ') ? null : id.toLowerCase());

describe('listedInstanceId: the id an account lists for one a client re-spelt', () => {
  it('answers the listed spelling of an id sent in another case', () => {
    const instances = list('Web-01.Example.com', 'db-02');
    expect(listedInstanceId(instances, fold('WEB-01.example.COM') as string, fold)).toBe('Web-01.Example.com');
    expect(listedInstanceId(instances, fold('DB-02') as string, fold)).toBe('db-02');
  });

  it('answers null for an id no listed one folds to', () => {
    expect(listedInstanceId(list('web-01', 'db-02'), 'cache-03', fold)).toBeNull();
  });

  it('guesses none where two listed ids fold alike, a third alike too', () => {
    expect(listedInstanceId(list('Web', 'WEB'), 'web', fold)).toBeNull();
    expect(listedInstanceId(list('Web', 'WEB', 'web'), 'web', fold)).toBeNull();
    // the others in the list are still found
    expect(listedInstanceId(list('Web', 'db', 'WEB'), 'db', fold)).toBe('db');
  });

  it('answers an id the list repeats (the same VM twice is no ambiguity)', () => {
    expect(listedInstanceId(list('Web', 'Web'), 'web', fold)).toBe('Web');
  });

  it('leaves out a listed id the account compares exactly', () => {
    expect(listedInstanceId(list('odd name', 'web'), 'web', fold)).toBe('web');
  });

  it('folds a list once however many lookups read it (the read cache hands every request the same list)', () => {
    const instances = list('Web-01', 'db-02', 'cache-03');
    let folds = 0;
    const counting = (id: string): string | null => {
      folds += 1;
      return fold(id);
    };
    expect(listedInstanceId(instances, 'web-01', counting)).toBe('Web-01');
    expect(listedInstanceId(instances, 'db-02', counting)).toBe('db-02');
    expect(listedInstanceId(instances, 'nothing', counting)).toBeNull();
    expect(folds).toBe(3);
    // another list (a later read) is folded on its own
    expect(listedInstanceId(list('Web-01'), 'web-01', counting)).toBe('Web-01');
    expect(folds).toBe(4);
  });
});
