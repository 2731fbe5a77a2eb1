import { describe, expect, it } from 'vitest';
import { decodeId, encodeId } from '../../src/domain/ids.js';
import { decodeBackupId, decodeDefinitionId, decodeOperationId, decodeScheduleId } from '../../src/gateway/ids.js';
import { MAX_CURSOR_LENGTH, paginate } from '../../src/gateway/pagination.js';

const malformed = expect.objectContaining({ code: 'BAD_USER_INPUT', message: "malformed id: send an id as the gateway answered it (e.g. an Instance's `id`), not a name or the provider's own id" });

describe('ids and cursors: characters around them', () => {
  it('an id with anything before or after its base64url text is refused, even where a decoder would skip it', () => {
    const id = encodeId('Instance', 'p', ['k']);
    for (const bad of [`${id}=`, `.${id}`, `${id}.`, `=${id}`]) expect(() => decodeId(bad), bad).toThrow(malformed);
  });

  it('one id per thing: the same parts spelt another way are refused, so ids compared as text cannot repeat one thing', () => {
    const id = encodeId('Instance', 'onapp-sim', ['480']);
    const spelt = (json: string) => Buffer.from(json, 'utf8').toString('base64url');
    expect(spelt('["I","onapp-sim","480"]')).toBe(id);
    for (const other of ['["I", "onapp-sim", "480"]', '["I","onapp\\u002dsim","480"]', '[ "I","onapp-sim","480"]', '["I","onapp-sim","480"]\n']) {
      expect(() => decodeId(spelt(other)), other).toThrow(malformed);
    }
    // The same bytes with the unused bits of the last base64 character set.
    const last = id.at(-1)!;
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const stray = id.slice(0, -1) + alphabet[alphabet.indexOf(last) + 1];
    expect(Buffer.from(stray, 'base64url').equals(Buffer.from(id, 'base64url'))).toBe(true);
    expect(() => decodeId(stray)).toThrow(malformed);
    expect(decodeId(id)).toEqual({ type: 'Instance', providerId: 'onapp-sim', keys: ['480'] });
  });

  it('an id of exactly 2,048 characters is taken, and a longer one refused before it is decoded', () => {
    const id = encodeId('Backup', 'p', ['x'.repeat(1524)]);
    expect(id).toHaveLength(2048);
    expect(decodeId(id).keys[0]).toHaveLength(1524);
    const longer = encodeId('Backup', 'p', ['x'.repeat(1527)]);
    expect(longer.length).toBeGreaterThan(2048);
    expect(() => decodeId(longer)).toThrow(malformed);
  });

  it('a cursor is at most MAX_CURSOR_LENGTH characters (room for the longest id), whatever a decoder would skip', () => {
    const items = ['a', 'b', 'c'];
    const cursor = Buffer.from('o:0').toString('base64url');
    const atLimit = cursor + '.'.repeat(MAX_CURSOR_LENGTH - cursor.length);
    expect(MAX_CURSOR_LENGTH).toBe(2_760);
    expect(paginate(items, { first: 1, after: atLimit }, 10, []).edges.map((edge) => edge.node)).toEqual(['b']);
    expect(() => paginate(items, { first: 1, after: `${atLimit}.` }, 10, [])).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT', message: 'after must be a cursor from a previous page' }));
  });

  it('without an argument name, a wrong type is reported against "id"', () => {
    const instance = encodeId('Instance', 'p', ['vm']);
    expect(() => decodeBackupId(instance)).toThrow(expect.objectContaining({ message: 'id must be the id of a Backup, got an Instance id' }));
    expect(() => decodeScheduleId(instance)).toThrow(expect.objectContaining({ message: 'id must be the id of a BackupSchedule, got an Instance id' }));
    expect(() => decodeDefinitionId(instance)).toThrow(expect.objectContaining({ message: 'id must be the id of a BackupDefinition, got an Instance id' }));
    expect(() => decodeOperationId(instance)).toThrow(expect.objectContaining({ message: 'id must be the id of an Operation, got an Instance id' }));
  });
});
