import { describe, expect, it } from 'vitest';
import { listedAsDeleted } from '../../src/providers/zomro/deleted-rows.js';

describe('listedAsDeleted (Zomro rows BILLmanager or Glance has deleted, left out of the lists)', () => {
  it('a service BILLmanager deleted: code "4" or the word "Deleted", in item_real_status or item_status', () => {
    expect(listedAsDeleted({ item_real_status: '4' })).toBe(true);
    expect(listedAsDeleted({ item_status: '4' })).toBe(true);
    expect(listedAsDeleted({ item_real_status: 4 })).toBe(true);
    expect(listedAsDeleted({ item_real_status: 'Deleted' })).toBe(true);
    expect(listedAsDeleted({ item_status: ' DELETED ' })).toBe(true);
    // Another field saying it does not count; a live status beside a deleted one does not save the row.
    expect(listedAsDeleted({ item_real_status: '2', item_status: '4' })).toBe(true);
    expect(listedAsDeleted({ item_real_status: '4', item_status: '2' })).toBe(true);
  });

  it('a backup whose image Glance deleted: fleio_status "deleted" in any case', () => {
    expect(listedAsDeleted({ fleio_status: 'deleted' })).toBe(true);
    expect(listedAsDeleted({ fleio_status: ' Deleted', item_real_status: '2' })).toBe(true);
  });

  it('keeps every live row: the other service codes and image words, none given, a word in another language', () => {
    for (const code of ['1', '2', '3', '5', '44', '']) expect(listedAsDeleted({ item_real_status: code, item_status: code })).toBe(false);
    expect(listedAsDeleted({})).toBe(false);
    expect(listedAsDeleted({ item_real_status: null, item_status: null, fleio_status: null })).toBe(false);
    expect(listedAsDeleted({ fleio_status: 'active' })).toBe(false);
    expect(listedAsDeleted({ fleio_status: 'saving', item_real_status: '2' })).toBe(false);
    // Glance's word is for images only: a service is deleted by code or its own word.
    expect(listedAsDeleted({ fleio_status: '4' })).toBe(false);
    expect(listedAsDeleted({ item_real_status: 'Gelöscht' })).toBe(false);
    expect(listedAsDeleted({ status: '4', state: 'deleted' })).toBe(false);
  });
});
