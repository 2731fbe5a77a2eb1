import { describe, expect, it } from 'vitest';
import { findRestoreCandidates, findRestoreTransaction, MOST_TRANSACTION_READS, newestTransactionId, NO_SUCH_READ, READS_SPENT, type TransactionRow } from '../../src/providers/onapp/restore-transaction.js';

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

  it('a transaction naming a backup it cannot read back keeps its place: only the restore whose place it holds is INVALID_RESPONSE, later ones read past it', async () => {
    const ofBackup = (id: number, backup: number): TransactionRow => ({ id, action: 'restore_backup', associated_object_type: 'Backup', associated_object_id: backup });
    // Newest first: this restore's (backup 6), a panel's restore of backup 7 in its place, the first restore's naming an id past 2^53.
    const list = [ofBackup(19, 6), ofBackup(18, 7), ofBackup(17, 2 ** 60), other(10)];
    expect(await findRestoreTransaction(pagedList(list, 10).read, '6', 10, 'onapp', 1)).toEqual(ofBackup(19, 6));
    await expect(findRestoreTransaction(pagedList(list, 10).read, '5', 10, 'onapp', 0)).rejects.toMatchObject({ code: 'PROVIDER_ERROR', details: { providerCode: 'INVALID_RESPONSE' } });
    // Its place is kept: the restore after it is not handed the panel's restore, nor moved up to the first's.
    expect(await findRestoreTransaction(pagedList([ofBackup(18, 7), ofBackup(17, 2 ** 60), other(10)], 10).read, '6', 10, 'onapp', 1)).toBeUndefined();
  });

  it('where its place holds another backup\'s restore, a later restore naming only the VM is never matched as this backup\'s, whatever the VM\'s id', async () => {
    const ofVm = (id: number, vm: number): TransactionRow => ({ id, action: 'restore_backup', associated_object_type: 'VirtualMachine', associated_object_id: vm });
    const ofBackup = (id: number, backup: number): TransactionRow => ({ id, action: 'restore_backup', associated_object_type: 'Backup', associated_object_id: backup });
    // The VM's id is 5, as this backup's: the VM's restore at 18 is a later restore's, not this one's outcome.
    const list = [ofVm(18, 5), ofBackup(17, 6), other(10)];
    expect(await findRestoreTransaction(pagedList(list, 10).read, '5', 10, 'onapp')).toBeUndefined();
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

  it(`reads at most ${MOST_TRANSACTION_READS} pages, however long the list, and says its reads ran out`, async () => {
    const pages: number[] = [];
    const endless = async (page: number) => {
      pages.push(page);
      return [other(10 ** 15 - 2 * page), other(10 ** 15 - 2 * page - 1)];
    };
    expect(await findRestoreCandidates(endless, '5', 0, 'onapp', { sent: 0, uncertain: 0 })).toBe(READS_SPENT);
    expect(pages.length).toBe(MOST_TRANSACTION_READS);
    expect(await findRestoreTransaction(endless, '5', 0, 'onapp')).toBeUndefined();
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

  it('reads spent while searching above the watermark\'s page: READS_SPENT, not a crash, nor "not listed"', async () => {
    const pages: number[] = [];
    // Pages before 2049 are all newer; doubling to 4096 and halving back to 2049 take 24 reads.
    const list = async (page: number) => {
      pages.push(page);
      return page < 2_049 ? [other(1_000_000 - page)] : [other(10 - page / 10_000)];
    };
    // A restore that read the series' watermark itself: that page and the two above, not found.
    expect(await findRestoreCandidates(list, '5', 10, 'onapp', { sent: 0, uncertain: 0 })).toBeUndefined();
    expect(pages.length).toBe(25);
    expect(pages.slice(-1)).toEqual([2_047]);
    // One that read page 1's newest itself: every page up to it may hold its transaction, more than the reads left.
    pages.length = 0;
    expect(await findRestoreCandidates(list, '5', 10, 'onapp', { sent: 0, uncertain: 0 }, { readBefore: 999_999, verified: true })).toBe(READS_SPENT);
    expect(pages.length).toBe(MOST_TRANSACTION_READS);
    expect(await findRestoreTransaction(list, '5', 10, 'onapp')).toBeUndefined();
  });

  it('takes a page of rows without a usable id (a hostile panel\'s padding) as the list\'s end, not as newer transactions', async () => {
    const read = async (page: number): Promise<TransactionRow[]> => (page <= 3 ? [[restore(17)], [other(16)], [other(15)]][page - 1] as TransactionRow[] : [{ action: 'restore_backup', associated_object_id: 5 }]);
    expect(await findRestoreTransaction(read, '5', 10, 'onapp')).toEqual(restore(17));
  });
});

describe('findRestoreCandidates: pages read on up to the restore\'s bound', () => {
  const ofVm = (id: number): TransactionRow => ({ id, action: 'restore_backup', associated_object_type: 'VirtualMachine', associated_object_id: 1 });
  /** `count` other transactions, newest first, from `newest` down. */
  const others = (newest: number, count: number) => Array.from({ length: count }, (_, index) => other(newest - index));

  it('finds a restore that joined an older series with 65 other transactions between the earlier restore\'s and its own, up to the one it read', async () => {
    // Watermark 10; place 1's transaction 20; 65 reboots (299 down to 235); place 2, which read 299, made 300.
    const rows = [ofVm(300), ...others(299, 65), ofVm(20), other(10), other(9)];
    const list = pagedList(rows, 10);
    expect(await findRestoreCandidates(list.read, '5', 10, 'onapp', { sent: 1, uncertain: 0 }, { readBefore: 299, verified: true })).toEqual({ listed: [ofVm(300)], unlisted: false });
    // Searched from the watermark's page (7) up to the first, which holds 299 and its own.
    expect(list.pages).toEqual([1, 2, 4, 8, 6, 7, 5, 3]);
    // Looked for only on the watermark's page and the two above, it was not found.
    expect(await findRestoreCandidates(pagedList(rows, 10).read, '5', 10, 'onapp', { sent: 1, uncertain: 0 })).toBeUndefined();
  });

  it('finds a restore that read the series\' watermark but took its place after one that joined: above the earlier restores\' transactions, however far', async () => {
    const rows = [ofVm(302), other(301), ofVm(300), ...others(299, 65), ofVm(20), other(10), other(9)];
    expect(await findRestoreCandidates(pagedList(rows, 10).read, '5', 10, 'onapp', { sent: 2, uncertain: 0 })).toEqual({ listed: [ofVm(302)], unlisted: false });
  });

  it('not listed yet, reads two pages above the one reaching what it read, not on to the first', async () => {
    // 200 reboots (439 down to 240) above place 1's transaction; this restore read 300, on page 14.
    const rows = [...others(439, 200), ofVm(20), other(10), other(9)];
    const list = pagedList(rows, 10);
    expect(await findRestoreCandidates(list.read, '5', 10, 'onapp', { sent: 1, uncertain: 0 }, { readBefore: 300, verified: true })).toBeUndefined();
    // Found by doubling (1, 2, 4, 8, 16, ...) and halving: page 21 reaches the watermark; 20 to 14 hold
    // what it read or older, then 13 and 12; not 11 to 9.
    expect(list.pages).toEqual(expect.arrayContaining([21, 20, 19, 18, 17, 15, 14, 13, 12]));
    for (const page of [11, 10, 9]) expect(list.pages).not.toContain(page);
  });
});

describe('findRestoreCandidates: a reach the gateway did not write (the operation id is the client\'s)', () => {
  const ofVm = (id: number): TransactionRow => ({ id, action: 'restore_backup', associated_object_type: 'VirtualMachine', associated_object_id: 1 });
  const others = (newest: number, count: number) => Array.from({ length: count }, (_, index) => other(newest - index));
  // Watermark 10; 200 reboots above it, 20 pages of ten; nothing of this restore's listed.
  const rows = [...others(439, 200), other(10), other(9)];

  it('reads the watermark\'s page and the two above, whatever the id says it read', async () => {
    const list = pagedList(rows, 10);
    expect(await findRestoreCandidates(list.read, '5', 10, 'onapp', { sent: 0, uncertain: 0 }, { readBefore: 439, verified: false })).toBeUndefined();
    const asWatermark = pagedList(rows, 10);
    await findRestoreCandidates(asWatermark.read, '5', 10, 'onapp', { sent: 0, uncertain: 0 });
    expect(list.pages).toEqual(asWatermark.pages);
    expect(list.pages.length).toBeLessThanOrEqual(12);
    // Written by the gateway, the same read sends the look up to page 1.
    const verified = pagedList(rows, 10);
    await findRestoreCandidates(verified.read, '5', 10, 'onapp', { sent: 0, uncertain: 0 }, { readBefore: 439, verified: true });
    expect(verified.pages).toContain(1);
    expect(verified.pages.length).toBeGreaterThan(list.pages.length + 10);
  });

  it('does not go on up for restores before it that are never listed (a place the id made up)', async () => {
    const list = pagedList(rows, 10);
    expect(await findRestoreCandidates(list.read, '5', 10, 'onapp', { sent: 31, uncertain: 0 }, { readBefore: 10, verified: false })).toBeUndefined();
    expect(list.pages.length).toBeLessThanOrEqual(12);
    const verified = pagedList(rows, 10);
    await findRestoreCandidates(verified.read, '5', 10, 'onapp', { sent: 31, uncertain: 0 }, { readBefore: 10, verified: true });
    expect(verified.pages).toContain(1);
  });

  it('answers NO_SUCH_READ after the first page when the id says it read above every transaction listed', async () => {
    const list = pagedList(rows, 10);
    expect(await findRestoreCandidates(list.read, '5', 10, 'onapp', { sent: 0, uncertain: 0 }, { readBefore: 440, verified: false })).toBe(NO_SUCH_READ);
    expect(list.pages).toEqual([1]);
    // The gateway's own reach is never refused so: it is looked for up to the first page.
    expect(await findRestoreCandidates(pagedList(rows, 10).read, '5', 10, 'onapp', { sent: 0, uncertain: 0 }, { readBefore: 440, verified: true })).toBeUndefined();
    expect(await findRestoreCandidates(pagedList([ofVm(441), ...rows], 10).read, '5', 10, 'onapp', { sent: 0, uncertain: 0 }, { readBefore: 439, verified: false })).toBeUndefined();
  });
});
