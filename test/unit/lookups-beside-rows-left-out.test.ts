import { describe, expect, it } from 'vitest';
import type { RowLeftOut } from '../../src/domain/row-left-out.js';
import { RowsLeftOutBesideLookups } from '../../src/gateway/lookups-beside-rows-left-out.js';

const row = (instanceNativeId: string | null, provider = 'a', list: RowLeftOut['list'] = 'backups'): RowLeftOut => ({ provider, list, instanceNativeId, reason: 'unreadable id' });

function leftOut(...rows: RowLeftOut[]): { rows: RowsLeftOutBesideLookups; told: RowLeftOut[] } {
  const told: RowLeftOut[] = [];
  const rowsLeftOut = new RowsLeftOutBesideLookups((each) => told.push(each));
  for (const each of rows) rowsLeftOut.note(each);
  return { rows: rowsLeftOut, told };
}

const lists = (rows: RowsLeftOutBesideLookups): string[] => rows.entries().map((entry) => `${entry.list}/${entry.provider}/${entry.instanceNativeId ?? ''}`);

describe('RowsLeftOutBesideLookups: a list read only by lookups that found their rows says nothing', () => {
  it('with no lookup, keeps every list that left rows out, as RowsLeftOut does', () => {
    const { rows, told } = leftOut(row('vm-1'), row('vm-2'));
    expect(lists(rows)).toEqual(['backups/a/vm-1', 'backups/a/vm-2']);
    expect(told).toHaveLength(2);
  });

  it("drops a list whose every lookup found its row, and only that list", () => {
    const { rows } = leftOut(row('vm-1'), row('vm-2'));
    rows.lookedUpIn('backups', 'a', 'vm-1', true);
    rows.lookedUpIn('backups', 'a', 'vm-1', true);
    expect(lists(rows)).toEqual(['backups/a/vm-2']);
  });

  it('keeps a list where one lookup found nothing, whichever came first', () => {
    for (const order of [[true, false], [false, true], [false, false]]) {
      const { rows } = leftOut(row('vm-1'));
      for (const found of order) rows.lookedUpIn('backups', 'a', 'vm-1', found);
      expect(lists(rows), JSON.stringify(order)).toEqual(['backups/a/vm-1']);
    }
  });

  it('keeps a list a field showed at its path, however its lookups went', () => {
    const { rows } = leftOut(row('vm-1'));
    rows.lookedUpIn('backups', 'a', 'vm-1', true);
    rows.claim('backups', 'a', 'vm-1', ['instances', 0, 'backups']);
    expect(rows.entries()).toEqual([expect.objectContaining({ instanceNativeId: 'vm-1', paths: [['instances', 0, 'backups']] })]);
  });

  it("tells a lookup's list apart by its kind, account and VM", () => {
    const { rows } = leftOut(row('vm-1'), row('vm-1', 'b'), row('vm-1', 'a', 'schedules'));
    rows.lookedUpIn('backups', 'a', 'vm-1', true);
    expect(lists(rows)).toEqual(['backups/b/vm-1', 'schedules/a/vm-1']);
  });

  it('notes nothing of a lookup in a list that left nothing out, so a list that leaves rows out later keeps its error', () => {
    const { rows } = leftOut();
    rows.lookedUpIn('backups', 'a', 'vm-1', true);
    rows.note(row('vm-1'));
    expect(lists(rows)).toEqual(['backups/a/vm-1']);
  });

  it("keeps the account's lists and rows of no VM, which no lookup reads", () => {
    const { rows } = leftOut(row(null, 'a', 'instances'), row(null));
    rows.note(row('vm-1'));
    rows.lookedUpIn('backups', 'a', 'vm-1', true);
    expect(lists(rows)).toEqual(['instances/a/', 'backups/a/']);
  });
});

describe('RowsLeftOutBesideLookups.wroteAfter: a write names the lists it read while it ran', () => {
  const at = (key: string) => ({ prev: undefined, key });
  const paths = (rows: RowsLeftOutBesideLookups): string[] => rows.entries().map((entry) => `${entry.list}/${entry.instanceNativeId ?? ''}: ${entry.paths.map((path) => path.join('.')).join(' ') || '(none)'}`);

  it('names only the lists noted since its mark, each at its own path', () => {
    const { rows } = leftOut(row('vm-1'));
    const first = rows.rowsNoted;
    rows.note(row('vm-2', 'a', 'schedules'));
    rows.wroteAfter(first, at('createBackupSchedule'));
    const second = rows.rowsNoted;
    rows.wroteAfter(second, at('deleteBackupSchedule'));
    expect(paths(rows)).toEqual(['backups/vm-1: (none)', 'schedules/vm-2: createBackupSchedule']);
  });

  it('leaves a list its lookups found their rows in silent, and a list a field showed at that field alone', () => {
    const { rows } = leftOut();
    rows.note(row('vm-1'));
    rows.note(row('vm-2'));
    rows.lookedUpIn('backups', 'a', 'vm-1', true);
    rows.claim('backups', 'a', 'vm-2', ['i', 'backups']);
    rows.wroteAfter(0, at('deleteBackup'));
    expect(paths(rows)).toEqual(['backups/vm-2: i.backups']);
  });

  it('names a list two writes read at both', () => {
    const { rows } = leftOut();
    rows.note(row('vm-1'));
    rows.wroteAfter(0, at('a'));
    rows.note(row('vm-1'));
    rows.wroteAfter(1, at('b'));
    expect(paths(rows)).toEqual(['backups/vm-1: a b']);
  });

  // A subscription answers each event on one context: each event tells only what its own reads left out.
  it('startOver forgets every row, lookup, field and write noted before it', () => {
    const { rows } = leftOut(row('vm-1'), row('vm-2'));
    rows.lookedUpIn('backups', 'a', 'vm-1', true);
    rows.readByLater(['backups'], 'a', 'vm-2', { prev: undefined, key: 'earlier' });
    rows.answersLater('backups', 'a', 'vm-2', { prev: undefined, key: 'earlierList' });
    rows.wroteAfter(0, { prev: undefined, key: 'earlierWrite' });
    rows.startOver();
    expect(rows.any).toBe(false);
    expect(rows.rowsNoted).toBe(0);
    expect(rows.entries()).toEqual([]);
    rows.note(row('vm-1'));
    expect(rows.entries()).toEqual([expect.objectContaining({ instanceNativeId: 'vm-1', rows: 1, paths: [] })]);
  });
});
