import { describe, expect, it } from 'vitest';
import { scalarResolvers } from '../../src/graphql/resolvers/scalars.js';

const serialize = (date: Date): unknown => scalarResolvers.DateTime.serialize(date);

describe('DateTime on output', () => {
  it('is RFC 3339 in UTC with a four-digit year, at both ends of the years it can write', () => {
    expect(serialize(new Date('2024-07-23T10:20:30+03:00'))).toBe('2024-07-23T07:20:30.000Z');
    expect(serialize(new Date('9999-12-31T23:59:59.999Z'))).toBe('9999-12-31T23:59:59.999Z');
    expect(serialize(new Date(Date.parse('0000-01-01T00:00:00Z')))).toBe('0000-01-01T00:00:00.000Z');
  });

  it('refuses a date whose year needs more than four digits or a sign, rather than write text no RFC 3339 parser reads', () => {
    expect(() => serialize(new Date(8.64e15))).toThrow(/outside the years 0000-9999/);
    expect(() => serialize(new Date(Date.parse('9999-12-31T23:59:59.999Z') + 1))).toThrow(/outside the years 0000-9999/);
    expect(() => serialize(new Date(Date.parse('0000-01-01T00:00:00Z') - 1))).toThrow(/outside the years 0000-9999/);
  });
});
