import { describe, expect, it } from 'vitest';
import type { ProviderFailure } from '../../src/domain/connection.js';
import type { Instance } from '../../src/domain/types.js';
import { pageOfMatches } from '../../src/gateway/protection-pages.js';

const instance = (nativeId: string, providerId = 'zomro-1'): Instance => ({ providerId, nativeId, name: `vm-${nativeId}`, state: null, raw: {} });
const instances = (count: number): Instance[] => Array.from({ length: count }, (_, index) => instance(String(index)));
const cursorOf = (place: number, providerId: string, nativeId: string) => Buffer.from(`p:${JSON.stringify([place, providerId, nativeId])}`).toString('base64url');
/** A cursor as pages make it: the place in the account, then the instance after it (every instance here is of one account, the next one's id its place). */
const madeCursorOf = (place: number, providerId: string, nativeId: string, placeInAccount = place) =>
  Buffer.from(`p:${JSON.stringify([place, providerId, nativeId, placeInAccount, providerId, String(place + 1)])}`).toString('base64url');
const every = () => true;
const names = (page: { edges: Array<{ node: Instance }> }) => page.edges.map((edge) => edge.node.nativeId);
const badInput = expect.objectContaining({ code: 'BAD_USER_INPUT' });

describe('a page of the instances a protection filter matches', () => {
  it('holds the first matches, counts every match, and names its last with a cursor of place and instance', () => {
    const all = instances(6);
    const odd = (index: number) => index % 2 === 1;
    const page = pageOfMatches(all, odd, { first: 2, after: null }, 100, []);
    expect(names(page)).toEqual(['1', '3']);
    expect(page.edges.map((edge) => edge.cursor)).toEqual([madeCursorOf(1, 'zomro-1', '1'), madeCursorOf(3, 'zomro-1', '3')]);
    expect(page.pageInfo).toEqual({ hasNextPage: true, hasPreviousPage: false, endCursor: madeCursorOf(3, 'zomro-1', '3') });
    expect(page.pageInfo.startCursor).toBe(madeCursorOf(1, 'zomro-1', '1'));
    expect(page.totalCount).toBe(3);
  });

  it('carries the providers that could not answer', () => {
    const failures = [{ code: 'PROVIDER_TIMEOUT', message: 'onapp did not answer' }] as unknown as ProviderFailure[];
    expect(pageOfMatches(instances(1), every, { first: 1, after: null }, 100, failures).providerErrors).toBe(failures);
  });

  it('walks every match once, page by page, and the last page says there is no next', () => {
    const all = instances(7);
    const seen: string[] = [];
    const pages: boolean[] = [];
    let after: string | null = null;
    for (let turn = 0; turn < 10; turn++) {
      const page: ReturnType<typeof pageOfMatches> = pageOfMatches(all, every, { first: 3, after }, 100, []);
      seen.push(...names(page));
      pages.push(page.pageInfo.hasNextPage);
      expect(page.totalCount).toBe(7);
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(seen).toEqual(['0', '1', '2', '3', '4', '5', '6']);
    expect(pages).toEqual([true, true, false]);
  });

  it('says there is no next page when the page ends exactly at the last match', () => {
    const page = pageOfMatches(instances(4), every, { first: 2, after: cursorOf(1, 'zomro-1', '1') }, 100, []);
    expect(names(page)).toEqual(['2', '3']);
    expect(page.pageInfo.hasNextPage).toBe(false);
    expect(page.pageInfo).toMatchObject({ hasPreviousPage: true, startCursor: madeCursorOf(2, 'zomro-1', '2') });
  });

  it('says there is no previous page when the matches before the cursor left the filter', () => {
    const page = pageOfMatches(instances(4), (index) => index >= 2, { first: 2, after: cursorOf(1, 'zomro-1', '1') }, 100, []);
    expect(names(page)).toEqual(['2', '3']);
    expect(page.pageInfo.hasPreviousPage).toBe(false);
  });

  it('after the last match: an empty page with no end cursor, still counting every match', () => {
    const page = pageOfMatches(instances(3), every, { first: 2, after: cursorOf(2, 'zomro-1', '2') }, 100, []);
    expect(page.edges).toEqual([]);
    expect(page.pageInfo).toEqual({ hasNextPage: false, hasPreviousPage: true, endCursor: null });
    expect(page.pageInfo.startCursor).toBeNull();
    expect(page.totalCount).toBe(3);
  });

  it('starts after the instance the cursor names, even when matches before it left the filter (the first instance included)', () => {
    const all = instances(5);
    // Page one showed 0 and 1; both were backed up since and no longer match.
    const page = pageOfMatches(all, (index) => index >= 2, { first: 2, after: cursorOf(1, 'zomro-1', '1') }, 100, []);
    expect(names(page)).toEqual(['2', '3']);
    expect(page.totalCount).toBe(3);
    expect(names(pageOfMatches(all, every, { first: 2, after: cursorOf(0, 'zomro-1', '0') }, 100, []))).toEqual(['1', '2']);
  });

  it('finds the instance by its account too: the same native id at another account is another instance', () => {
    const all = [instance('1', 'zomro-1'), instance('2', 'zomro-1'), instance('1', 'onapp-1'), instance('2', 'onapp-1')];
    expect(names(pageOfMatches(all, every, { first: 1, after: cursorOf(0, 'onapp-1', '1') }, 100, []))).toEqual(['2']);
    expect(pageOfMatches(all, every, { first: 1, after: cursorOf(0, 'onapp-1', '1') }, 100, []).edges[0]!.node.providerId).toBe('onapp-1');
  });

  it('where the cursor’s instance is gone, starts at its old place; past the end, an empty page', () => {
    const all = instances(5).filter((item) => item.nativeId !== '2');
    expect(names(pageOfMatches(all, every, { first: 2, after: cursorOf(2, 'zomro-1', '2') }, 100, []))).toEqual(['3', '4']);
    expect(names(pageOfMatches(all, every, { first: 2, after: cursorOf(40, 'zomro-1', 'gone') }, 100, []))).toEqual([]);
  });

  it('pages backward: the last matches before the cursor, hasPreviousPage while matches remain', () => {
    const all = instances(8);
    const odd = (index: number) => index % 2 === 1;
    const last = pageOfMatches(all, odd, { last: 2 }, 100, []);
    expect(names(last)).toEqual(['5', '7']);
    expect(last.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true, startCursor: madeCursorOf(5, 'zomro-1', '5') });
    const before = pageOfMatches(all, odd, { last: 2, before: last.pageInfo.startCursor }, 100, []);
    expect(names(before)).toEqual(['1', '3']);
    expect(before.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    expect(before.totalCount).toBe(4);
    // Between two cursors, Relay's flags: forward, whether matches remain before `before`; backward, after `after`.
    const between = { after: cursorOf(1, 'zomro-1', '1'), before: cursorOf(7, 'zomro-1', '7') };
    expect(pageOfMatches(all, odd, { first: 1, ...between }, 100, []).pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: true });
    expect(pageOfMatches(all, odd, { first: 2, ...between }, 100, []).pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
    expect(pageOfMatches(all, odd, { last: 2, ...between }, 100, []).pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
  });

  it("where the before cursor's instance is gone, ends at its old place; first with last is BAD_USER_INPUT", () => {
    const all = instances(5).filter((item) => item.nativeId !== '3');
    expect(names(pageOfMatches(all, every, { last: 2, before: cursorOf(3, 'zomro-1', '3') }, 100, []))).toEqual(['1', '2']);
    expect(() => pageOfMatches(all, every, { last: 2, before: 'garbage' }, 100, [])).toThrow('before must be a cursor from a previous page');
    expect(() => pageOfMatches(all, every, { first: 2, last: 2 }, 100, [])).toThrow(badInput);
    expect(() => pageOfMatches(all, every, { last: 0 }, 100, [])).toThrow('last must be between 1 and 100');
  });

  it('serves 50 when no page size is asked, and any size from 1 to the largest page', () => {
    const all = instances(60);
    expect(pageOfMatches(all, every, { first: undefined, after: null }, 100, []).edges).toHaveLength(50);
    expect(pageOfMatches(all, every, { first: null, after: null }, 100, []).edges).toHaveLength(50);
    expect(pageOfMatches(all, every, { first: 1, after: null }, 100, []).edges).toHaveLength(1);
    expect(pageOfMatches(all, every, { first: 60, after: null }, 60, []).edges).toHaveLength(60);
  });

  it('refuses a page size outside 1 to the largest page, or not whole, as BAD_USER_INPUT', () => {
    for (const first of [0, -1, 6, 2.5, Number.NaN]) expect(() => pageOfMatches(instances(3), every, { first, after: null }, 5, []), String(first)).toThrow(badInput);
    expect(() => pageOfMatches(instances(3), every, { first: 6, after: null }, 5, [])).toThrow('first must be between 1 and 5');
  });

  it('takes a cursor up to 1,024 characters long', () => {
    // 768 bytes of text are 1,024 characters of base64url.
    const nativeId = 'x'.repeat(768 - 'p:[0,"zomro-1",""]'.length);
    const cursor = cursorOf(0, 'zomro-1', nativeId);
    expect(cursor).toHaveLength(1_024);
    expect(names(pageOfMatches([instance(nativeId), instance('next')], every, { first: 1, after: cursor }, 100, []))).toEqual(['next']);
  });

  it('refuses what is no cursor of these pages as BAD_USER_INPUT, not as an internal error', () => {
    const text = (value: string) => Buffer.from(value).toString('base64url');
    const forged = [
      'garbage',
      text('p:not json'),
      text('p:'),
      text('p:{"place":1}'),
      text('p:[1,"zomro-1"]'),
      text('p:[1,"zomro-1","1",-1]'),
      text('p:[1,"zomro-1","1","0"]'),
      text('p:[1,"zomro-1","1",0,0]'),
      text('p:[-1,"zomro-1","1"]'),
      text('p:[1.5,"zomro-1","1"]'),
      text('p:["1","zomro-1","1"]'),
      text('p:[1,7,"1"]'),
      text('p:[1,"zomro-1",1]'),
      // Another list's cursor (an offset), and this one's without its mark.
      text('o:1'),
      text('o:[1,"zomro-1","1"]'),
      text('[1,"zomro-1","1"]'),
      cursorOf(0, 'zomro-1', 'x'.repeat(800)),
    ];
    for (const after of forged) expect(() => pageOfMatches(instances(3), every, { first: 1, after }, 100, []), after).toThrow(badInput);
    expect(() => pageOfMatches(instances(3), every, { first: 1, after: 'garbage' }, 100, [])).toThrow('after must be a cursor from a previous page');
    expect(() => pageOfMatches(instances(3), every, { first: 1, after: text('p:[-1,"zomro-1","1"]') }, 100, [])).toThrow('after must be a cursor from a previous page');
  });

  it('reads an empty cursor as none', () => {
    expect(names(pageOfMatches(instances(3), every, { first: 1, after: '' }, 100, []))).toEqual(['0']);
  });

  it("names no instance after the list's last, and refuses a cursor whose next instance is no pair of strings", () => {
    const all = instances(3);
    const page = pageOfMatches(all, every, { first: 5, after: null }, 100, []);
    expect(page.pageInfo.endCursor).toBe(Buffer.from(`p:${JSON.stringify([2, 'zomro-1', '2', 2])}`).toString('base64url'));
    const odd = Buffer.from(`p:${JSON.stringify([0, 'zomro-1', '0', 0, 'zomro-1', 1])}`).toString('base64url');
    expect(() => pageOfMatches(all, every, { first: 1, after: odd }, 100, [])).toThrow(badInput);
  });

  it('takes a cursor made before cursors named the next instance (its place in its account last) as it took it', () => {
    const before = instances(6);
    const older = (place: number) => Buffer.from(`p:${JSON.stringify([place, 'zomro-1', String(place), place])}`).toString('base64url');
    expect(names(pageOfMatches(before, every, { first: 2, after: older(2) }, 100, []))).toEqual(['3', '4']);
    expect(names(pageOfMatches(before, every, { last: 2, before: older(3) }, 100, []))).toEqual(['1', '2']);
    // Its instance gone: its old place in its account, as before.
    const without = before.filter((item) => item.nativeId !== '2');
    expect(names(pageOfMatches(without, every, { first: 2, after: older(2) }, 100, []))).toEqual(['3', '4']);
  });

  it('leaves out the next instance where both ids would pass the 1,048 characters a cursor may have: the cursor stays usable', () => {
    const long = ['a', 'b', 'c'].map((letter) => instance(letter.repeat(500)));
    const cursor = pageOfMatches(long, every, { first: 1, after: null }, 100, []).pageInfo.endCursor!;
    expect(cursor.length).toBeLessThanOrEqual(1_048);
    expect(names(pageOfMatches(long, every, { first: 1, after: cursor }, 100, []))).toEqual(['b'.repeat(500)]);
  });

  it('starts the page after a gone instance at the one that followed it, though instances before it are gone too', () => {
    const before = instances(6);
    const cursor = pageOfMatches(before, every, { first: 3, after: null }, 100, []).pageInfo.endCursor;
    const after = before.filter((item) => item.nativeId !== '1' && item.nativeId !== '2');
    expect(names(pageOfMatches(after, every, { first: 2, after: cursor }, 100, []))).toEqual(['3', '4']);
  });

  it("takes back the cursor of the list's last instance, which names none after it, forward and backward", () => {
    const all = instances(3);
    const last = pageOfMatches(all, every, { first: 5, after: null }, 100, []).pageInfo.endCursor;
    expect(names(pageOfMatches(all, every, { first: 5, after: last }, 100, []))).toEqual([]);
    expect(names(pageOfMatches(all, every, { last: 5, before: last }, 100, []))).toEqual(['0', '1']);
  });

  it('refuses a cursor whose next instance has no account id as a string, as one whose next native id is none', () => {
    const text = (value: unknown[]) => Buffer.from(`p:${JSON.stringify(value)}`).toString('base64url');
    for (const after of [text([0, 'zomro-1', '0', 0, 1, '1']), text([0, 'zomro-1', '0', 0, null, '1']), text([0, 'zomro-1', '0', 0, 'zomro-1', null])]) {
      expect(() => pageOfMatches(instances(3), every, { first: 1, after }, 100, []), after).toThrow(badInput);
    }
  });

  it('starts at the instance that followed a gone one where it is now first, every instance before it gone', () => {
    const cursor = pageOfMatches(instances(6), every, { first: 3, after: null }, 100, []).pageInfo.endCursor;
    // Its old place in its account (2) now holds '5'.
    expect(names(pageOfMatches(instances(6).slice(3), every, { first: 2, after: cursor }, 100, []))).toEqual(['3', '4']);
  });

  it('names the instance after it where the cursor stays within 1,048 characters, not where it would not, and takes either back', () => {
    const cursorsOf = (idLength: number) => {
      const all = [instance('x'.repeat(idLength), 'a'), instance('y', 'a')];
      const cursor = pageOfMatches(all, every, { first: 1, after: null }, 100, []).pageInfo.endCursor ?? '';
      return { all, cursor, named: JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8').slice(2)) as unknown[] };
    };
    const fits = cursorsOf(764);
    expect(fits.cursor).toHaveLength(1_048);
    expect(fits.named).toEqual([0, 'a', 'x'.repeat(764), 0, 'a', 'y']);
    expect(names(pageOfMatches(fits.all, every, { first: 1, after: fits.cursor }, 100, []))).toEqual(['y']);
    const over = cursorsOf(765);
    expect(over.named).toEqual([0, 'a', 'x'.repeat(765), 0]);
    expect(names(pageOfMatches(over.all, every, { first: 1, after: over.cursor }, 100, []))).toEqual(['y']);
  });

  it('a cursor naming no instance after it follows none, even an instance of an account and id spelt "undefined"', () => {
    const all = [instance('0'), instance('1'), instance('2'), instance('undefined', 'undefined')];
    // A cursor made before places in accounts were kept; its instance is gone: its old place (1) stands.
    expect(names(pageOfMatches(all, every, { first: 1, after: cursorOf(1, 'zomro-1', 'gone') }, 100, []))).toEqual(['1']);
  });

  it('resumes a gone instance whose next is gone too at its place in its account, or after its account where all of it is gone', () => {
    const of = (...ids: string[]) => ids.map((id) => instance(id, `p-${id.slice(0, 1)}`));
    const accounts = ['p-a', 'p-b', 'p-c'];
    const endCursor = (all: Instance[], first: number) => pageOfMatches(all, every, { first, after: null }, 100, [], accounts).pageInfo.endCursor;
    // b1, second of its account: a0, b1 and b2 went.
    const second = endCursor(of('a0', 'a1', 'b0', 'b1', 'b2', 'b3'), 4);
    expect(names(pageOfMatches(of('a1', 'b0', 'b3'), every, { first: 5, after: second }, 100, [], accounts))).toEqual(['b3']);
    // b3, fourth of its account: the account holds one instance now, so the page starts after it.
    const fourth = endCursor(of('a0', 'a1', 'b0', 'b1', 'b2', 'b3', 'c0'), 6);
    expect(names(pageOfMatches(of('a0', 'b0', 'c1'), every, { first: 5, after: fourth }, 100, [], accounts))).toEqual(['c1']);
    // Account b gone whole (and a1, a2): right before c's first instance.
    const ofGoneAccount = endCursor(of('a0', 'a1', 'a2', 'b0', 'b1', 'c0'), 4);
    expect(names(pageOfMatches(of('a0', 'c0', 'c1', 'c2'), every, { first: 5, after: ofGoneAccount }, 100, [], accounts))).toEqual(['c0', 'c1', 'c2']);
  });

  it("resumes a gone instance of an account `accounts` does not name, with no instance now, at its old place", () => {
    const of = (...ids: string[]) => ids.map((id) => instance(id, `p-${id.slice(0, 1)}`));
    // z1 at place 2, second of p-z: the order given now names no p-z, which lists nothing now.
    const after = pageOfMatches(of('a0', 'z0', 'z1', 'z2'), every, { first: 3, after: null }, 100, [], ['p-a', 'p-z']).pageInfo.endCursor;
    expect(names(pageOfMatches(of('a0', 'a1', 'a2', 'a3'), every, { first: 5, after }, 100, [], ['p-a']))).toEqual(['a2', 'a3']);
    expect(names(pageOfMatches(of('a0', 'a1', 'a2', 'a3'), every, { last: 5, before: after }, 100, [], ['p-a']))).toEqual(['a0', 'a1']);
  });

  it('resumes a gone instance whose next is gone too at its place in its account where that account is now first in the list', () => {
    const of = (...ids: string[]) => ids.map((id) => instance(id, `p-${id.slice(0, 1)}`));
    const accounts = ['p-a', 'p-b'];
    // b1 at place 3, second of its account; a0, a1 (account a failed), b1 and b2 went: b is first now.
    const after = pageOfMatches(of('a0', 'a1', 'b0', 'b1', 'b2', 'b3', 'b4'), every, { first: 4, after: null }, 100, [], accounts).pageInfo.endCursor;
    expect(names(pageOfMatches(of('b0', 'b3', 'b4', 'b5'), every, { first: 5, after }, 100, [], accounts))).toEqual(['b3', 'b4', 'b5']);
  });
});
