import { describe, expect, it } from 'vitest';
import { SecretSet } from '../../src/upstream/secrets.js';

/**
 * A double quote with a space or two between it and a piece of a secret on one side
 * (`b7Kq8Rw" 2Zx4LmT`, `b7Kq8Rw "2Zx4LmT`, and JSON's `\"` so inside a string): the piece search
 * passed over a quote between two letters or digits only, so 7 characters on either side of it
 * went out. In valid JSON no string ends beside a letter or digit with a space and a letter or
 * digit after it, nor starts so: such a quote stands inside a quoted value or in no JSON.
 */
const SECRET = 'b7Kq8Rw2Zx4LmTpQ';
const secrets = new SecretSet();
secrets.add(SECRET);

describe('a double quote beside a space inside a secret', () => {
  it.each([
    ['b7Kq8Rw" 2Zx4LmT', 'a quote then a space'],
    ['b7Kq8Rw "2Zx4LmT', 'a space then a quote'],
    ['b7Kq8Rw"  2Zx4LmT', 'a quote then two spaces'],
    ['b7Kq8Rw\t\t"2Zx4LmT', 'two tabs then a quote'],
    ['b7Kq8Rw\\" 2Zx4LmT', "JSON's escaped quote then a space"],
    ['b7Kq8Rw \\"2Zx4LmT', "a space then JSON's escaped quote"],
  ])('redacts %j (%s) whole', (quoted) => {
    expect(secrets.scrub(`note: ${quoted} end`)).toBe('note: [redacted] end');
    expect(secrets.scrub(`{"note":"${quoted}"}`)).toBe('{"note":"[redacted]"}');
  });

  it('keeps counting a quote with spaces on both sides or past two spaces, and JSON structure', () => {
    for (const text of ['note: b7Kq8Rw " 2Zx4LmT end', 'note: b7Kq8Rw"   2Zx4LmT end', '{"a": "b7Kq8Rw", "b": "2Zx4LmT"}', '{"a":"b7Kq8Rw"}\n"2Zx4LmT"', '["b7Kq8Rw" ,"2Zx4LmT"]']) {
      expect(secrets.scrub(text)).toBe(text);
    }
  });

  it('takes no structure with a piece that ends at a closing quote', () => {
    expect(secrets.scrub('{"a":"b7Kq8Rw2Z", "b":"x"}')).toBe('{"a":"[redacted]", "b":"x"}');
    expect(secrets.scrub('{"a": "x", "b": "b7Kq8Rw2Z"}')).toBe('{"a": "x", "b": "[redacted]"}');
  });
});
