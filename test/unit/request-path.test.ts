import { describe, expect, it } from 'vitest';
import { assertInsideApi, compactQuery } from '../../src/upstream/request-path.js';

/** assertInsideApi as it was written before it walked the path in place (with the raw backslash refused since): the reference it must agree with. */
function splitReference(path: string): string | null {
  const pathOnly = path.split('?')[0] ?? '';
  if (pathOnly.includes('\\')) return 'an id contains a path segment that is not allowed';
  for (const segment of pathOnly.split('/')) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      return 'an id contains an invalid character sequence';
    }
    if (decoded === '.' || decoded === '..' || (decoded !== segment && /[/?#\\]/.test(decoded))) return 'an id contains a path segment that is not allowed';
  }
  return null;
}

const outcome = (path: string): string | null => {
  try {
    assertInsideApi(path);
    return null;
  } catch (error) {
    return (error as Error).message;
  }
};

describe('the path guard (assertInsideApi)', () => {
  it('refuses dot segments, escaped separators and bad escapes, before a query only', () => {
    for (const path of ['', '/', '/vms/1/backups.json', '/a/./b', '/a/../b', '/..', '.', '..', '/a/%2e%2E/b', '/a/%2e', '/a%2Fb', '/a%3Fb', '/a%23b', '/a%5Cb', '/%E0%A4%A', '/a/b?x=..', '/a/b?x=%', '/a/.../b', '/a/.b/', '/%41/%2e%2e%2f']) {
      expect(outcome(path), path).toBe(splitReference(path));
    }
    expect(outcome('/a/../b')).toMatch(/not allowed/);
    expect(outcome('/%E0%A4%A')).toMatch(/invalid character sequence/);
    expect(outcome('/a/b?x=../%zz')).toBeNull();
  });

  it('agrees with the split reading on generated paths', () => {
    const pieces = ['/', '.', '..', '%', '%2e', '%2E', '%2f', '%3F', '%23', '%5c', '%zz', '%E0%A4', '%C3%A9', '?', 'a', 'vm-1', '#', '\\\\'];
    // 32-bit arithmetic (Math.imul): seed * 1103515245 in doubles passes 2 ** 53, loses its low bits and fell
    // into a cycle of under 2,000 distinct paths, none with a segment such as "a.". The high bits, the random ones, are used.
    let seed = 7;
    const next = () => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed >>> 8;
    };
    const distinct = new Set<string>();
    for (let run = 0; run < 20_000; run++) {
      let path = '';
      const length = next() % 9;
      for (let index = 0; index < length; index++) path += pieces[next() % pieces.length];
      distinct.add(path);
      expect(outcome(path), path).toBe(splitReference(path));
    }
    expect(distinct.size).toBeGreaterThan(10_000);
  });

  it('lets through a segment that only begins or ends with a dot (a host name such as "web1.", ".hidden")', () => {
    for (const path of ['/vms/web1./backups.json', '/vms/a.', '/vms/.a/backups', '/x./y', '.a', 'a.', '/a./b?x=1']) {
      expect(outcome(path), path).toBeNull();
    }
    for (const path of ['/vms/../backups.json', '/vms/./backups', '/vms/..?x=1']) expect(outcome(path), path).toMatch(/not allowed/);
  });
});

describe('a raw backslash (assertInsideApi)', () => {
  it('is refused before the query, where a server reading "\\" as "/" would see ".." segments, and let through in the query', () => {
    for (const path of ['/vms/..\\..\\etc/backups', '/vms/a\\b', '\\', '/vms/1\\/backups.json']) expect(outcome(path), path).toMatch(/not allowed/);
    for (const path of ['/vms/1/backups.json?name=a\\b', '/vms/a-b']) expect(outcome(path), path).toBeNull();
  });
});

describe('the query as sent (compactQuery)', () => {
  it('keeps defined values as text, in order, and leaves out undefined ones', () => {
    expect(compactQuery(undefined)).toBeUndefined();
    expect(compactQuery({ b: 1, a: 'x', gone: undefined, flag: false })).toEqual({ b: '1', a: 'x', flag: 'false' });
    expect(Object.keys(compactQuery({ z: 1, y: 2 }) ?? {})).toEqual(['z', 'y']);
  });
});
