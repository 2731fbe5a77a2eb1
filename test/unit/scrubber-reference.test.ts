import { describe, expect, it } from 'vitest';
import { CHARS_PER_TURN } from '../../src/domain/turns.js';
import { holdsEscape } from '../../src/upstream/escaped-secrets.js';
import { holdsHidden, readHidden } from '../../src/upstream/invisible-characters.js';
import { SecretSet } from '../../src/upstream/secrets.js';
import { TEXT_PIECES, generator, withSecrets } from '../helpers/scrubber-inputs.js';
import { holdsEscape as holdsEscapeBefore } from '../helpers/scrubber-before/escaped-secrets.js';
import { holdsHidden as holdsHiddenBefore, readHidden as readHiddenBefore } from '../helpers/scrubber-before/invisible-characters.js';
import { SecretSet as SecretSetBefore } from '../helpers/scrubber-before/secrets.js';

/**
 * The scrubber must scrub every text as it did before its hostile shapes were made cheap (raw
 * whitespace past ASCII between letters cost 5 times a plain list's scrub, nearly all of it
 * building the second reading; a run of `\x` 2-3 times): the same output, whole and a piece per
 * turn, and the second reading (readHidden) the same text with each character traced to the same
 * places. The code before is kept verbatim in test/helpers/scrubber-before/. Generated texts mix the shapes `npm run bench:scrub-worst` measures with the
 * escapes, invisible characters and whitespace the reading reads, near-misses of them, a secret's
 * letters, surrogate pairs and lone halves (test/helpers/scrubber-inputs.ts).
 */

/**
 * The shapes the scrubber reads now that the one before did not (test/unit/scrub-deeper-references.test.ts,
 * scrub-escaped-punctuation.test.ts). The second reading (readHidden, holdsHidden) reads an HTML
 * reference percent-encoded (`%26nbsp%3B`) or escaped again three times, and whitespace or an
 * invisible character percent-encoded four times, and every reader of escapes reads Python's
 * `\U000000XX` (byte-escapes.ts): NEW_READING_SHAPES. The piece search reads an escape of
 * punctuation with a letter or digit on either side (escaped-joiners.ts): with those, NEW_SHAPES.
 * A text holding one may be read or scrubbed differently; every other text is compared. Generous
 * matches: a text one takes in needlessly is only not compared.
 */
const NEW_READING_SHAPES = new RegExp(
  [
    '%(?:25)?(?:26|23|3[bB])',
    '(?:&|\\\\u0026)(?:(?:amp|AMP|#0*38|#[xX]0*26);?){3}',
    '%252525',
    '\\\\U000000[0-9a-fA-F]{2}',
    // A backslash before an invisible character, or before an escape of one it is not part of: it goes with it (scrub-escaped-whitespace-any-backslashes.test.ts).
    '\\\\(?:[&%\\x00-\\x08\\x0e-\\x1f\\x7f-\\uffff]|\\\\{2}[uUx])',
  ].join('|'),
);
const NEW_SHAPES = new RegExp(`${NEW_READING_SHAPES.source}|[A-Za-z0-9](?:%[0-7][0-9a-fA-F]|\\\\{1,2}(?:u00|x)[0-7][0-9a-fA-F]|&#|&[A-Za-z]+;?)`);


const secrets = withSecrets(new SecretSet());
const secretsBefore = withSecrets(new SecretSetBefore());

const readingOf = (read: ReturnType<typeof readHidden>): { text: string; places: number[]; ends: number[] } => ({ text: read.text, places: [...read.places], ends: [...read.ends] });

describe('the scrubber against the one before its hostile shapes were made cheap', () => {
  it('reads each generated text as before: the same reading, places and ends, and the same holds', () => {
    const next = generator(11);
    let compared = 0;
    for (let run = 0; run < 20_000; run++) {
      let text = '';
      const length = next() % 12;
      for (let index = 0; index < length; index++) text += TEXT_PIECES[next() % TEXT_PIECES.length];
      if (NEW_READING_SHAPES.test(text)) continue;
      compared++;
      expect(readingOf(readHidden(text)), JSON.stringify(text)).toEqual(readingOf(readHiddenBefore(text)));
      expect(holdsHidden(text), JSON.stringify(text)).toBe(holdsHiddenBefore(text));
      expect(holdsEscape(text), JSON.stringify(text)).toBe(holdsEscapeBefore(text));
    }
    console.log('reading compared', compared);
    expect(compared).toBeGreaterThan(15_000);
  });

  it('scrubs each generated text as before, whole and a piece per turn', async () => {
    const next = generator(23);
    let compared = 0;
    for (let run = 0; run < 4_000; run++) {
      let text = '';
      const length = next() % 16;
      for (let index = 0; index < length; index++) text += TEXT_PIECES[next() % TEXT_PIECES.length];
      if (NEW_SHAPES.test(text)) continue;
      compared++;
      expect(secrets.scrub(text), JSON.stringify(text)).toBe(secretsBefore.scrub(text));
      expect(secrets.scrubConfigured(text), JSON.stringify(text)).toBe(secretsBefore.scrubConfigured(text));
      // Cut into pieces of a few characters: the steps asked of the whole answer, then of each piece.
      expect(await secrets.scrubAnswer(text, { charsPerTurn: 24 }), JSON.stringify(text)).toBe(await secretsBefore.scrubAnswer(text, { charsPerTurn: 24 }));
    }
    console.log('scrub compared', compared);
    expect(compared).toBeGreaterThan(3_500);
  });

  it('reads and scrubs the hostile shapes as before, alone and around a secret they hide', async () => {
    // One invisible character and then a run of `\x` (bench:scrub-worst's shape), each as a text whole.
    for (const whole of [`\u200b${'\\x'.repeat(10_000)}`, `${'\\x'.repeat(10_000)}\u200b${'\\x'.repeat(10_000)}nightowl\\npassword`]) {
      expect(readingOf(readHidden(whole))).toEqual(readingOf(readHiddenBefore(whole)));
      expect(await secrets.scrubAnswer(whole, { charsPerTurn: CHARS_PER_TURN })).toBe(await secretsBefore.scrubAnswer(whole, { charsPerTurn: CHARS_PER_TURN }));
    }
    // A letters-only secret split by each escape the split-words search reads after a backslash, and near-misses, between the shapes.
    for (const split of ['\\n', '\\r', '\\t', '\\f', '\\v', '\\u0020', '\\u00a0', '\\N', '\\\\v', '\\', '&nbsp;', '&NonBreakingSpace;', '&#x200B', '&#8203']) {
      for (const unit of ['\u200b\\x', 'n&nbsp;', '\\x']) {
        const text = `${unit.repeat(40)}nightowl${split}password ${unit.repeat(40)}`;
        expect(await secrets.scrubAnswer(text, { charsPerTurn: CHARS_PER_TURN }), text).toBe(await secretsBefore.scrubAnswer(text, { charsPerTurn: CHARS_PER_TURN }));
        expect(secrets.scrub(text.slice(unit.length * 40)), text).toBe(secretsBefore.scrub(text.slice(unit.length * 40)));
      }
    }
    for (const unit of ['\\x\\x4', '\u200b\\x', 'a\u00a0', 'a\\u00a0', 'a\u3000', 'a\u200b', 'a\\u200b', 'n%E2%80%8B', 'n&nbsp;', '\\x', '\\', '%25E2%2580', '&#', 'a ', 'nightowl\u00a0password\u200b']) {
      const text = unit.repeat(Math.ceil(20_000 / unit.length));
      expect(readingOf(readHidden(text)), unit).toEqual(readingOf(readHiddenBefore(text)));
      expect(await secrets.scrubAnswer(text, { charsPerTurn: CHARS_PER_TURN }), unit).toBe(await secretsBefore.scrubAnswer(text, { charsPerTurn: CHARS_PER_TURN }));
      const hidingASecret = `${text}nightowl\u00a0password Dnb7Kq8\u3000Rw2Zx4LmT correct\u200bhorse battery ${text}`;
      expect(await secrets.scrubAnswer(hidingASecret, { charsPerTurn: 4_096 }), unit).toBe(await secretsBefore.scrubAnswer(hidingASecret, { charsPerTurn: 4_096 }));
    }
  });
});
