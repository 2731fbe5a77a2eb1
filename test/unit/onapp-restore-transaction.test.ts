import { describe, expect, it } from 'vitest';
import { findRestoreCandidates, findRestoreTransaction, MOST_TRANSACTION_READS, newestTransactionId, type TransactionRow } from '../../src/providers/onapp/restore-transaction.js';

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

/** A list nested past the stack: JSON.parse reads it, Number() and String() of it overflow. */
const deep = (): unknown => {
  let value: unknown = 1;
  for (let level = 0; level < 100_000; level++) value = [value];
  return value;
};

describe('findRestoreTransaction', () => {
  it('passes over a row whose id is no number or text (a hostile panel), never a stack overflow', async () => {
    const hostile: TransactionRow = { id: deep(), action: 'restore_backup', associated_object_id: 5 };
    const list = pagedList([other(20), hostile, restore(17), other(16), other(10)], 10);
    expect(await findRestoreTransaction(list.read, '5', 10, 'onapp')).toEqual(restore(17));
    expect(newestTransactionId([hostile, other(12), { id: { n: 99 } }, { id: '14' }])).toBe(14);
  });

  it('takes a restore that associates its VM or disk (no backup named) as the first after the watermark; one naming another backup, never', async () => {
    const ofVm = (id: number): TransactionRow => ({ id, action: 'restore_backup', associated_object_type: 'VirtualMachine', associated_object_id: 1 });
    const ofBackup = (id: number, backup: number): TransactionRow => ({ id, action: 'restore_backup', associated_object_type: 'Backup', associated_object_id: backup });
    expect(await findRestoreTransaction(pagedList([other(20), ofVm(18), ofVm(17), other(10)], 10).read, '5', 10, 'onapp')).toEqual(ofVm(17));
    expect(await findRestoreTransaction(pagedList([other(20), ofBackup(17, 6), other(10)], 10).read, '5', 10, 'onapp')).toBeUndefined();
    expect(await findRestoreTransaction(pagedList([ofBackup(18, 5), ofBackup(17, 6), other(10)], 10).read, '5', 10, 'onapp')).toEqual(ofBackup(18, 5));
    // Below the watermark: an earlier restore, not this one's.
    expect(await findRestoreTransaction(pagedList([other(20), ofVm(9)], 10).read, '5', 10, 'onapp')).toBeUndefined();
  });

  it('hands restores naming only the VM out in request order: the n-th restore of a watermark gets the n-th such transaction; one naming its backup is matched by id first', async () => {
    const ofVm = (id: number): TransactionRow => ({ id, action: 'restore_backup', associated_object_type: 'VirtualMachine', associated_object_id: 1 });
    const ofBackup = (id: number, backup: number): TransactionRow => ({ id, action: 'restore_backup', associated_object_type: 'Backup', associated_object_id: backup });
    const list = [ofVm(19), other(18), ofVm(17), other(10)];
    expect(await findRestoreTransaction(pagedList(list, 10).read, '5', 10, 'onapp', 0)).toEqual(ofVm(17));
    expect(await findRestoreTransaction(pagedList(list, 10).read, '5', 10, 'onapp', 1)).toEqual(ofVm(19));
    // The third restore's is not listed yet: not another's.
    expect(await findRestoreTransaction(pagedList(list, 10).read, '5', 10, 'onapp', 2)).toBeUndefined();
    // Across pages (two a page, newest first): the older page's come first.
    expect(await findRestoreTransaction(pagedList([ofVm(19), other(18), ofVm(17), other(10)], 2).read, '5', 10, 'onapp', 1)).toEqual(ofVm(19));
    expect(await findRestoreTransaction(pagedList([ofBackup(19, 5), ofBackup(17, 6), other(10)], 10).read, '5', 10, 'onapp', 1)).toEqual(ofBackup(19, 5));
  });

  it('two restores of one backup at once, the transactions naming it: each gets its own in request order, never both the older', async () => {
    const ofBackup = (id: number, backup: number): TransactionRow => ({ id, action: 'restore_backup', associated_object_type: 'Backup', associated_object_id: backup });
    const both = [ofBackup(18, 5), other(12), ofBackup(17, 5), other(10)];
    expect(await findRestoreTransaction(pagedList(both, 10).read, '5', 10, 'onapp', 0)).toEqual(ofBackup(17, 5));
    expect(await findRestoreTransaction(pagedList(both, 10).read, '5', 10, 'onapp', 1)).toEqual(ofBackup(18, 5));
    // The second's not listed yet: the first's is not its outcome.
    expect(await findRestoreTransaction(pagedList([ofBackup(17, 5), other(10)], 10).read, '5', 10, 'onapp', 1)).toBeUndefined();
    // Across pages (two a page): the older page's come first.
    expect(await findRestoreTransaction(pagedList([ofBackup(18, 5), other(12), ofBackup(17, 5), other(10)], 2).read, '5', 10, 'onapp', 1)).toEqual(ofBackup(18, 5));
  });

  it('after restores that may or may not have reached OnApp, gives every position this one may hold, but those naming another backup, and says when one is not listed yet', async () => {
    const ofVm = (id: number): TransactionRow => ({ id, action: 'restore_backup', associated_object_type: 'VirtualMachine', associated_object_id: 1 });
    const ofBackup = (id: number, backup: number): TransactionRow => ({ id, action: 'restore_backup', associated_object_type: 'Backup', associated_object_id: backup });
    const find = (rows: TransactionRow[], sent: number, uncertain: number) => findRestoreCandidates(pagedList(rows, 10).read, '5', 10, 'onapp', { sent, uncertain });
    // One uncertain restore before: this one's is the first or the second.
    expect(await find([ofVm(19), other(18), ofVm(17), other(10)], 0, 1)).toEqual({ listed: [ofVm(17), ofVm(19)], unlisted: false });
    expect(await find([ofVm(17), other(10)], 0, 1)).toEqual({ listed: [ofVm(17)], unlisted: true });
    // After one sent: positions 2 and 3.
    expect(await find([ofVm(21), ofVm(19), ofVm(17), other(10)], 1, 1)).toEqual({ listed: [ofVm(19), ofVm(21)], unlisted: false });
    // One naming another backup is not this one's: the uncertain restore reached OnApp.
    expect(await find([ofBackup(19, 5), ofBackup(17, 6), other(10)], 0, 1)).toEqual({ listed: [ofBackup(19, 5)], unlisted: false });
    // Every position naming another backup: this backup's is matched by id, as before.
    expect(await find([ofBackup(21, 5), ofBackup(19, 7), ofBackup(17, 6), other(10)], 0, 1)).toEqual({ listed: [ofBackup(21, 5)], unlisted: false });
    // None listed at its positions yet.
    expect(await find([ofVm(17), other(10)], 1, 1)).toBeUndefined();
  });

  it('finds the restore on a later page, looking from the page that reaches the watermark up', async () => {
    const list = pagedList([other(20), other(19), other(18), restore(17), other(16), other(10), other(9)], 2);
    expect(await findRestoreTransaction(list.read, '5', 10, 'onapp')).toEqual(restore(17));
    // 1, 2 all newer; 4 past the end; 3 reaches the watermark, and 2 (read already) holds it.
    expect(list.pages).toEqual([1, 2, 4, 3]);
  });

  it('takes the last page with records for the watermark when none reaches it (its transaction pruned, or none before)', async () => {
    const list = pagedList([other(20), other(19), other(18), restore(17), other(16), other(15), other(14)], 2);
    expect(await findRestoreTransaction(list.read, '5', 10, 'onapp')).toEqual(restore(17));
    expect(list.pages).toEqual([1, 2, 4, 8, 6, 5, 3]);
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

  it('takes the oldest above the watermark, whatever the order on its page: a newer one is a later restore of the backup', async () => {
    const list = pagedList([restore(21), restore(23), other(22), other(10)], 10);
    expect(await findRestoreTransaction(list.read, '5', 20, 'onapp')).toEqual(restore(21));
    const twoPages = pagedList([restore(30), other(29), restore(21), other(10)], 2);
    expect(await findRestoreTransaction(twoPages.read, '5', 20, 'onapp')).toEqual(restore(21));
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
    // 1, 2 all newer; 4 and 3 past the end: the restore would be on 2 or 1.
    expect(list.pages).toEqual([1, 2, 4, 3]);
  });

  it('finds a restore some 1,000 pages down in about 2 log2(pages) reads, not page by page', async () => {
    const rows = Array.from({ length: 3_000 }, (_, index) => other(10_000 - index));
    rows.push(restore(5_000), other(4_000), other(3_999));
    const list = pagedList(rows, 3);
    expect(await findRestoreTransaction(list.read, '5', 4_000, 'onapp')).toEqual(restore(5_000));
    expect(list.pages.length).toBeLessThanOrEqual(2 * Math.ceil(Math.log2(1_001)) + 3);
    expect(new Set(list.pages).size).toBe(list.pages.length);
  });

  it(`reads at most ${MOST_TRANSACTION_READS} pages, however long the list`, async () => {
    const pages: number[] = [];
    const endless = async (page: number) => {
      pages.push(page);
      return [other(10_000_000 - 2 * page), other(10_000_000 - 2 * page - 1)];
    };
    expect(await findRestoreTransaction(endless, '5', 0, 'onapp')).toBeUndefined();
    expect(pages.length).toBe(MOST_TRANSACTION_READS);
  });

  it('reads only the pages near the watermark when the restore is not listed yet', async () => {
    const rows = Array.from({ length: 100 }, (_, index) => other(1_000 - index));
    rows.push(other(10));
    const list = pagedList(rows, 3);
    expect(await findRestoreTransaction(list.read, '5', 10, 'onapp')).toBeUndefined();
    // Doubling to 64, halving to 34 (the page reaching 10), then 33 and 32 above it.
    expect(list.pages.length).toBeLessThanOrEqual(16);
    expect(list.pages).not.toContain(31);
  });

  it('newestTransactionId: the highest safe integer id, 0 for none', () => {
    expect(newestTransactionId([other(3), { id: '12' }, { id: 'x' }, { id: 2 ** 60 }, other(7)])).toBe(12);
    expect(newestTransactionId([])).toBe(0);
  });
});

describe('findRestoreCandidates: where the search ends', () => {
  const ofVm = (id: number): TransactionRow => ({ id, action: 'restore_backup', associated_object_type: 'VirtualMachine', associated_object_id: 1 });
  const ofBackup = (id: number, backup: number): TransactionRow => ({ id, action: 'restore_backup', associated_object_type: 'Backup', associated_object_id: backup });
  /**
   * Two rows a page, watermark 10: pages 1-5 all newer, `above` on page 6, `reaching` (then the
   * watermark) on page 7, older below. The search reads 1, 2, 4, 8, 6, 7: page 5 only when the
   * restore's positions are not settled by pages 7 and 6.
   */
  const layout = (above: TransactionRow[], reaching: TransactionRow) => {
    const newer = Array.from({ length: 10 }, (_, index) => other(100 - index));
    return pagedList([...newer, ...above, reaching, other(10), other(9), other(8)], 2);
  };

  it('stops at the page that settles the restore: a restore naming only the VM on the page reaching the watermark costs no read above it', async () => {
    const list = layout([other(30), other(29)], ofVm(20));
    expect(await findRestoreCandidates(list.read, '5', 10, 'onapp', { sent: 0, uncertain: 0 })).toEqual({ listed: [ofVm(20)], unlisted: false });
    expect(list.pages).toEqual([1, 2, 4, 8, 6, 7]);
  });

  it('stops once every position is listed and one of them may be this restore\'s, after an uncertain restore', async () => {
    const list = layout([ofBackup(30, 6), other(29)], ofVm(20));
    expect(await findRestoreCandidates(list.read, '5', 10, 'onapp', { sent: 0, uncertain: 1 })).toEqual({ listed: [ofVm(20)], unlisted: false });
    expect(list.pages).toEqual([1, 2, 4, 8, 6, 7]);
  });

  it('where its place holds another backup\'s restore, reads on to the one naming this backup above it, and stops there', async () => {
    const list = layout([ofBackup(30, 5), other(29)], ofBackup(20, 6));
    expect(await findRestoreCandidates(list.read, '5', 10, 'onapp', { sent: 0, uncertain: 0 })).toEqual({ listed: [ofBackup(30, 5)], unlisted: false });
    expect(list.pages).toEqual([1, 2, 4, 8, 6, 7]);
  });

  it('reads spent while doubling (a list newer than the watermark for 2^23 pages): no restore found, not a crash', async () => {
    const endless = async (page: number) => [other(1_000_000_000_000 - 2 * page), other(1_000_000_000_000 - 2 * page - 1)];
    expect(await findRestoreTransaction(endless, '5', 10, 'onapp')).toBeUndefined();
  });

  it('reads spent while searching above the watermark\'s page: no restore found, not a crash', async () => {
    const pages: number[] = [];
    // Pages before 2049 are all newer; doubling to 4096 and halving back to 2049 take all 24 reads.
    const list = async (page: number) => {
      pages.push(page);
      return page < 2_049 ? [other(1_000_000 - page)] : [other(10 - page / 10_000)];
    };
    expect(await findRestoreTransaction(list, '5', 10, 'onapp')).toBeUndefined();
    expect(pages.length).toBe(MOST_TRANSACTION_READS);
    expect(pages).not.toContain(2_047);
  });

  it('takes a page of rows without a usable id (a hostile panel\'s padding) as the list\'s end, not as newer transactions', async () => {
    const read = async (page: number): Promise<TransactionRow[]> => (page <= 3 ? [[restore(17)], [other(16)], [other(15)]][page - 1] as TransactionRow[] : [{ action: 'restore_backup', associated_object_id: 5 }]);
    expect(await findRestoreTransaction(read, '5', 10, 'onapp')).toEqual(restore(17));
  });
});
