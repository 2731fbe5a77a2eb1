import { describe, expect, it } from 'vitest';
import { REDACTED, SecretSet } from '../../src/upstream/secrets.js';

/**
 * A secret holding punctuation quoted back with other punctuation, spaces or none in its place.
 * The piece search counts a secret's own punctuation (so the words "secret key" are no piece of
 * `Secret-Key-42`) and found none of these; the whole secret's lookalike pattern does now.
 */
describe('a secret holding punctuation, quoted with other punctuation in its place', () => {
  const secrets = new SecretSet();
  secrets.add('Secret-Key-42');
  secrets.add('vault/Dnb7.Kq8R');

  it.each([
    'Secret_Key_42',
    'Secret.Key.42',
    'Secret Key 42',
    'Secret\nKey\t42',
    'SecretKey42',
    'secret:key/42',
    'SECRET - KEY - 42',
    'Secret_Key-42',
    'ＳｅｃｒｅｔＫｅｙ４２',
    'vault-Dnb7_Kq8R',
    'VAULT Dnb7 Kq8R',
  ])('redacts %j whole', (quoted) => {
    expect(secrets.scrub(`{"detail":"bad credential ${JSON.stringify(quoted).slice(1, -1)} refused"}`)).toBe(`{"detail":"bad credential ${REDACTED} refused"}`);
  });

  it.each(['the secret key was rotated', 'secret_key and key 42', 'Secret Key 4', 'ecret_Key_42x', 'Secret__Key_42', 'Secret___Key42'])('leaves %j alone', (text) => {
    expect(secrets.scrub(text)).toBe(text);
  });

  it('finds it the same in an answer scrubbed a piece per turn, cut beside the quoted secret', async () => {
    const answer = JSON.stringify(Array.from({ length: 200 }, (_, index) => ({ id: index, note: index % 7 === 3 ? 'Secret_Key_42' : `vm:${index}`, tags: ['a', 'b'] })));
    const whole = secrets.scrub(answer);
    expect(whole).not.toContain('Secret_Key_42');
    for (const size of [16, 64, 333]) expect(await secrets.scrubAnswer(answer, { charsPerTurn: size })).toBe(whole);
  });
});
