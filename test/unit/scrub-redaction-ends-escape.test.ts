import { describe, expect, it } from 'vitest';
import { SecretSet } from '../../src/upstream/secrets.js';

/**
 * A REDACTED put in ends an escape before it: a password written as hex references whose last one
 * has no ";" and runs on into a piece of another secret (`&#x78Dnb7Kq8R`) reads U+078D, so the
 * password is not there; with the piece redacted, `&#x78[redacted]` reads "x" and the password
 * stood whole in the scrubbed answer (found by test/unit/scrub-hostile-property.test.ts).
 */
const MIXED = 'Dnb7Kq8Rw2Zx4LmT';
const PUNCTUATED = "Ops'Key-4f9Qx";
const secrets = new SecretSet();
secrets.add(MIXED);
secrets.add(PUNCTUATED);

const hexReferences = (text: string): string => [...text].map((char) => `&#x${(char.codePointAt(0) as number).toString(16)};`).join('');
/** The password as hex references, its last ";" left out and a piece of the other secret straight after. */
const RUN_ON = `name ${hexReferences(PUNCTUATED).slice(0, -1)}${MIXED.slice(0, 8)}; end`;

describe('a redaction that ends an escape before it', () => {
  it('leaves no secret readable where the redaction made an escape read otherwise', () => {
    // The references before the last read as the password's letters, a piece of it (escaped-joiners.ts reads escapes of
    // letters), and go; the last, run on, stays, and with the piece after it redacted reads "x": one character.
    expect(secrets.scrub(RUN_ON)).toBe('name [redacted]&#x78[redacted]; end');
  });

  it('does the same scrubbing a long answer a piece per turn', async () => {
    const answer = `[${JSON.stringify(RUN_ON)},${JSON.stringify('x'.repeat(64))},${JSON.stringify(RUN_ON)}]`;
    expect(await secrets.scrubAnswer(answer, { charsPerTurn: 32 })).toBe(secrets.scrub(answer));
    expect(secrets.scrub(answer).match(/&#x/g)).toHaveLength(2);
  });

  it('reads an answer once when nothing in it is redacted', () => {
    const plain = `name ${hexReferences('plain words')} &#x78Dnb7; end`;
    expect(secrets.scrub(plain)).toBe(plain);
  });
});
