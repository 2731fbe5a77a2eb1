import { buildSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import { withEnumValues } from '../../src/graphql/enum-values-hint.js';

const hint = withEnumValues(
  buildSchema(`
    enum Weekday { MONDAY TUESDAY }
    input Window { day: Weekday }
    type Query { ok(day: Weekday, window: Window): Boolean }
  `),
);

/** graphql-js's refusals of an enum value that is none of the enum, read on their own (no server). */
describe('withEnumValues: the values added to a refusal of an enum value', () => {
  it('lists the values, in schema order, after a refusal in the document and one in a variable', () => {
    expect(hint('Value "MON" does not exist in "Weekday" enum.')).toBe('Value "MON" does not exist in "Weekday" enum. Weekday is one of MONDAY, TUESDAY.');
    expect(hint('Variable "$d" got invalid value "MON"; Expected type Weekday.')).toBe('Variable "$d" got invalid value "MON"; Expected type Weekday. Weekday is one of MONDAY, TUESDAY.');
    expect(hint('Variable "$w" got invalid value "MON" at "w.day"; Value "MON" does not exist in "Weekday" enum.')).toBe(
      'Variable "$w" got invalid value "MON" at "w.day"; Value "MON" does not exist in "Weekday" enum. Weekday is one of MONDAY, TUESDAY.',
    );
  });

  it('reads the type from the last such phrase: what the client sent comes first and may hold one', () => {
    const sent = 'Value "x does not exist in "Window" enum. y" does not exist in "Weekday" enum.';
    expect(hint(sent)).toBe(`${sent} Weekday is one of MONDAY, TUESDAY.`);
    const variable = 'Variable "$d" got invalid value "; Expected type Window."; Expected type Weekday.';
    expect(hint(variable)).toBe(`${variable} Weekday is one of MONDAY, TUESDAY.`);
  });

  it('reads a refusal that is the phrase alone, from the message\'s first character', () => {
    expect(hint(' does not exist in "Weekday" enum.')).toBe(' does not exist in "Weekday" enum. Weekday is one of MONDAY, TUESDAY.');
    expect(hint('; Expected type Weekday.')).toBe('; Expected type Weekday. Weekday is one of MONDAY, TUESDAY.');
  });

  it('leaves a message alone where the type named is no enum, is unknown, or the phrase does not end it', () => {
    for (const message of [
      'Variable "$w" got invalid value 7; Expected type Window.',
      'Variable "$w" got invalid value 7; Expected type Boolean.',
      'Value "MON" does not exist in "Month" enum.',
      'Variable "$d" got invalid value "MON"; Expected type Month.',
      'Value "MON" does not exist in "Weekday" enum. Did you mean the enum value "MONDAY"?',
      'Value "MON" does not exist in "Weekday" enum!',
      'Variable "$d" got invalid value "MON"; Expected type Weekday!',
      // Other words naming the enum, where the phrase's length back from its end falls on its name.
      'Value "MO" not in "Weekday" enum.',
      'Value MO is no Weekday.',
      'Cannot query field "Weekday" on type "Query".',
      'Weekday.',
      '"Weekday" enum.',
      'Expected type Weekday.',
      '',
    ]) {
      expect(hint(message)).toBe(message);
    }
  });
});
