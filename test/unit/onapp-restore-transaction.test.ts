import { describe, expect, it } from 'vitest';
import { findRestoreTransaction, MOST_TRANSACTION_PAGES, newestTransactionId, type TransactionRow } from '../../src/providers/onapp/restore-transaction.js';

const restore = (id: number, backup = 5): TransactionRow => ({ id, action: 'restore_backup', associated_object_id: backup });
const other = (id: number): TransactionRow => ({ id, action: 'reboot_virtual_machine', associated_object_id: 1 });

/** A paging OnApp: `rows` newest first, `size` a page; records which pages were read. */
const pagedList = (rows: TransactionRow[], size: number) => {
  const pages: number[] = [];
  const read = async (page: number) => {
    pages.push(page);
    return rows.slice((page - 1) * size, page * size);
  };
  return { read, pages };
};

describe('findRestoreTransaction', () => {
  it('finds the restore on a later page and stops there', async () => {
    const list = pagedList([other(20), other(19), other(18), restore(17), other(16), other(15), other(14)], 2);
    expect(await findRestoreTransaction(list.read, '5', 10, 'onapp')).toEqual(restore(17));
    expect(list.pages).toEqual([1, 2]);
  });

  it('stops at the watermark: nothing older can be this restore', async () => {
    const list = pagedList([other(20), other(12), restore(9), other(8)], 2);
    expect(await findRestoreTransaction(list.read, '5', 12, 'onapp')).toBeUndefined();
    expect(list.pages).toEqual([1]);
  });

  it('ignores restores at or under the watermark, of other backups, and other actions', async () => {
    const rows = [restore(30, 6), { id: 29, action: 'take_backup', associated_object_id: 5 }, restore(12), other(11)];
    expect(await findRestoreTransaction(pagedList(rows, 10).read, '5', 12, 'onapp')).toBeUndefined();
  });

  it('takes the newest of several on one page, whatever their order there', async () => {
    const list = pagedList([restore(21), restore(23), other(22), other(10)], 10);
    expect(await findRestoreTransaction(list.read, '5', 20, 'onapp')).toEqual(restore(23));
  });

  it('stops after one more read on a server that ignores page', async () => {
    const pages: number[] = [];
    const sameEveryTime = async (page: number) => {
      pages.push(page);
      return [other(40), other(39)];
    };
    expect(await findRestoreTransaction(sameEveryTime, '5', 0, 'onapp')).toBeUndefined();
    expect(pages).toEqual([1, 2]);
  });

  it('stops at an empty page', async () => {
    const list = pagedList([other(40), other(39), other(38)], 2);
    expect(await findRestoreTransaction(list.read, '5', 0, 'onapp')).toBeUndefined();
    expect(list.pages).toEqual([1, 2, 3]);
  });

  it(`reads at most ${MOST_TRANSACTION_PAGES} pages`, async () => {
    const rows = Array.from({ length: 100 }, (_, index) => other(1_000 - index));
    rows.push(restore(1));
    const list = pagedList(rows, 3);
    expect(await findRestoreTransaction(list.read, '5', 0, 'onapp')).toBeUndefined();
    expect(list.pages).toEqual([1, 2, 3, 4, 5]);
  });

  it('newestTransactionId: the highest safe integer id, 0 for none', () => {
    expect(newestTransactionId([other(3), { id: '12' }, { id: 'x' }, { id: 2 ** 60 }, other(7)])).toBe(12);
    expect(newestTransactionId([])).toBe(0);
  });
});
