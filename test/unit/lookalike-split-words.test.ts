import { describe, expect, it } from 'vitest';
import { SecretSet } from '../../src/upstream/secrets.js';

/** A password of small letters only: the piece search leaves such runs alone (they are words). */
const secrets = new SecretSet();
secrets.add('correcthorsebattery');

describe('a secret of small letters only, split into words or lines', () => {
  it.each([
    ['with spaces', 'bad password correct horse battery!', 'bad password [redacted]!'],
    ['across lines', 'bad correct\nhorse\nbattery', 'bad [redacted]'],
    ['with JSON escapes', '{"e":"correct\\nhorse\\tbattery"}', '{"e":"[redacted]"}'],
    ['URL-encoded', 'q=correct%20horse+battery&x=1', 'q=[redacted]&x=1'],
    ['title-cased', 'Correct Horse Battery', '[redacted]'],
    ['letter by letter', 'c o r r e c t h o r s e b a t t e r y', '[redacted]'],
  ])('is found %s', (_how, text, scrubbed) => {
    expect(secrets.scrub(text)).toBe(scrubbed);
  });

  it('leaves its words alone in another order, apart from one another, or short of the whole', () => {
    for (const text of ['the horse battery is correct', 'correct horse', 'correct horse batter', 'a horse; battery correct', 'correct, horse, battery']) expect(secrets.scrub(text)).toBe(text);
  });
});
