import { describe, expect, it } from 'vitest';
import { parseDateIn, parseUtcDate } from '../../src/domain/provider-dates.js';
import { decodeId, encodeId } from '../../src/domain/ids.js';
import { utcMsOfWallFields } from '../../src/domain/wall-fields.js';
import { formBody } from '../../src/providers/zomro/form-body.js';

/**
 * The encoders and the date reader an uncached dashboard runs thousands of times were rewritten
 * to make less garbage (docs/benchmark-history.md, the twenty-fifth session): each must answer
 * what the plain spelling it replaced answers, byte for byte, the awkward inputs included.
 */
const AWKWARD = ['', 'a', '480', 'onapp-sim', 'x y', '"q"', 'back\\slash', 'tab\tline\n', '\u0001', 'ü', '日本', '😀', 'a\ud800b', '\udc00', "!'()~*-._", '%41', '+&='];

describe('ids written straight into bytes', () => {
  const spelt = (tag: string, providerId: string, keys: string[]) => Buffer.from(JSON.stringify([tag, providerId, ...keys]), 'utf8').toString('base64url');

  it('is the base64url of JSON.stringify of its parts, escapes and surrogates included', () => {
    for (const providerId of AWKWARD.filter(Boolean)) {
      for (const key of AWKWARD) {
        const id = encodeId('Backup', providerId, [key, providerId, '']);
        expect(id, `${providerId} ${key}`).toBe(spelt('B', providerId, [key, providerId, '']));
      }
    }
  });

  it('is the same for parts too long for its buffer, and one such id still decodes when within the id limit', () => {
    for (const long of ['x'.repeat(5000), 'é'.repeat(3000), '\u0001'.repeat(3000), '😀'.repeat(2000)]) {
      expect(encodeId('Instance', 'p', [long])).toBe(spelt('I', 'p', [long]));
    }
    const near = 'é'.repeat(700);
    expect(decodeId(encodeId('BackupSchedule', 'p', [near, 'k']))).toEqual({ type: 'BackupSchedule', providerId: 'p', keys: [near, 'k'] });
  });

  it('one id after another shares nothing: a short id after a long one is its own', () => {
    const long = encodeId('Instance', 'provider-with-a-long-name', ['k'.repeat(400)]);
    expect(encodeId('Instance', 'p', ['1'])).toBe(spelt('I', 'p', ['1']));
    expect(decodeId(long).keys).toEqual(['k'.repeat(400)]);
  });
});

describe('provider dates read by position after the pattern', () => {
  const iso = (value: unknown) => parseUtcDate(value)?.toISOString() ?? null;

  it('reads one to nine fraction digits to the millisecond, whatever follows them', () => {
    expect(iso('2024-03-05T04:00:12.3Z')).toBe('2024-03-05T04:00:12.300Z');
    expect(iso('2024-03-05T04:00:12.34+01:00')).toBe('2024-03-05T03:00:12.340Z');
    expect(iso('2024-03-05T04:00:12.345678')).toBe('2024-03-05T04:00:12.345Z');
    expect(iso('2024-03-05T04:00:12.999999999-0130')).toBe('2024-03-05T05:30:12.999Z');
    expect(iso('2024-03-05T04:00:12.0001Z')).toBe('2024-03-05T04:00:12.000Z');
    expect(iso('2024-03-05T04:00:12.1234567891Z')).toBeNull();
  });

  it('tells a zone from none where a wall clock is read in the account zone', () => {
    const moscow = (value: string) => parseDateIn(value, 'Europe/Moscow')?.toISOString() ?? null;
    expect(moscow('2024-07-23 10:20:30')).toBe('2024-07-23T07:20:30.000Z');
    expect(moscow('2024-07-23 10:20:30Z')).toBe('2024-07-23T10:20:30.000Z');
    expect(moscow('2024-07-23 10:20:30z')).toBe('2024-07-23T10:20:30.000Z');
    expect(moscow('2024-07-23 10:20:30-01')).toBe('2024-07-23T11:20:30.000Z');
    expect(moscow('2024-07-23 10:20+0100')).toBe('2024-07-23T09:20:00.000Z');
    expect(moscow('2024-07-23')).toBe('2024-07-22T21:00:00.000Z');
  });

  it('counts month lengths as the calendar does: leap years by 4, 100 and 400', () => {
    expect(iso('2024-02-29')).toBe('2024-02-29T00:00:00.000Z');
    expect(iso('2023-02-29')).toBeNull();
    expect(iso('2000-02-29')).toBe('2000-02-29T00:00:00.000Z');
    expect(iso('2100-02-29')).toBeNull();
    expect(iso('2024-04-31')).toBeNull();
    expect(utcMsOfWallFields({ year: 1900, month: 2, day: 29, hour: 0, minute: 0, second: 0 })).toBeNull();
    expect(utcMsOfWallFields({ year: 1600, month: 2, day: 29, hour: 0, minute: 0, second: 0 })).toBe(Date.UTC(1600, 1, 29));
    expect(utcMsOfWallFields({ year: 2024, month: 12, day: 31, hour: 23, minute: 59, second: 59, millisecond: 999 })).toBe(Date.UTC(2024, 11, 31, 23, 59, 59, 999));
  });
});

describe("Zomro's form body without a URLSearchParams where nothing needs encoding", () => {
  it('is URLSearchParams(form).toString() for plain and awkward names and values, in the same order', () => {
    for (const name of AWKWARD) {
      for (const value of AWKWARD) {
        const form: Record<string, string> = { func: 'backup.list', [name || 'k']: value, out: 'json', 7: value, auth: 'a1b2-c3' };
        expect(formBody(form), `${name}=${value}`).toBe(new URLSearchParams(form).toString());
      }
    }
    expect(formBody({ func: 'vm.backup', elid: '12', out: 'json', auth: 'f00d.Cafe_*' })).toBe('func=vm.backup&elid=12&out=json&auth=f00d.Cafe_*');
    expect(formBody({})).toBe('');
  });
});
