import { sha512Hex } from '../../src/upstream/secrets.js';

/**
 * The texts the scrubber's reference tests (test/unit/scrubber-reference.test.ts,
 * scrubber-windowed-reference.test.ts) generate, and the secrets they scrub them of: the shapes
 * `npm run bench:scrub-worst` measures with the escapes, invisible characters and whitespace the
 * readings read, near-misses of them, a secret's letters, surrogate pairs and lone halves.
 */
export const PIECES = [
  ...['a', 'n', 'nightowl', 'password', 'Dnb7Kq8', 'Rw2Zx4LmT', ' ', '+', '-', '.', '1', 'é', '\u{1f600}', '\ud800', '\udc00', '\ufdd0'],
  // Raw whitespace past ASCII and invisible characters as they stand, a tag (a pair) and its halves.
  ...['\u00a0', '\u3000', '\u2007', '\u202f', '\u1680', '\u2028', '\u205f', '\u200b', '\u00ad', '\u0001', '\u009f', '\ufeff', '\ufffd', '\u{e0041}', '\udb40', '\udc41'],
  // Escapes of them, nested, and near-misses.
  ...['\\u00a0', '\\u00A0', '\\u3000', '\\u200b', '\\\\u200b', '\\u{200b}', '\\u{a0}', '\\x', '\\x20', '\\xa0', '\\xc2\\xa0', '\\xe2\\x80\\x8b', '\\xc3\\xad', '\\x00', '\\', '\\\\', '\\b', '\\u0026nbsp;', '\\udb40\\udc41'],
  ...['%', '%2', '%20', '%2520', '%E2%80%8B', '%25E2%2580%258B', '%25E2%2580', '%C2%A0', '%25C2%25A0', '%5Cx00', '%255Cx20', '%5Cu200b', '%00', '%252500', '%E2%80%AF'],
  ...['&', '&#', '&#0', '&#000', '&#160;', '&#xa0', '&#8203;', '&nbsp;', '&nbsp', '&amp;nbsp;', '&ampnbsp;', '&#38;#8203;', '&#x26;shy;', '&shy', '&zwnj;', '&Tab;', '&amp;amp;zwnj;'],
  // HTML's references read by the "&" alone (readHidden), with and without ";", and the splits the split-words search reads after a backslash.
  ...['&NonBreakingSpace;', '&#x200B', '&#8203', '&#32', '&#x2000;', '&AMP;nbsp;', '&#0038;Tab;', '&emsp13;', '&af;', '&NoBreak', '\\\\n', '\\n', '\\r', '\\t', '\\f', '\\v', '\\u0020', '\\N'],
  // bench:scrub-worst's costliest shapes, a few units of each.
  ...['n&nbsp;n&nbsp;n&nbsp;', '\u200b\\x\\x\\x', '\\x\\x\\x\\x'],
  // Escaped punctuation, percent-encoded references and deeper levels (the shapes NEW_SHAPES exempts), and their near-misses.
  ...['&lt;', '&lt', '%3C', '%2F', '\\u003c', '\\\\u002d', '\\x3c', '&#60;', '&#x2d;', '&quot;', '&amp;', '%26', '%2526', '%3B', '%23', '%25', 'amp;', '&amp;amp;amp;nbsp;', '%26nbsp%3B', '%26shy', '%25252520', '%25252500'],
];

/** A seeded sequence of numbers: the same texts each run. */
export function generator(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state;
  };
}

/** The secrets of `npm run bench:scrub-worst`'s accounts, a multi-word password and one of letters and digits. */
export function withSecrets<T extends SecretsAdded>(set: T): T {
  set.add('zstack-Pass-2024');
  set.add(sha512Hex('zstack-Pass-2024'));
  set.addRuntime('5a1b2c3d4e5f60718293a4b5c6d7e8f9');
  set.add('nightowlpassword');
  set.add('admin:onapp-Secret-77', { base64: true, pieces: false });
  set.add('correct horse battery');
  set.add('Dnb7Kq8Rw2Zx4LmT');
  return set;
}
/** What withSecrets asks of a scrubber's SecretSet, old or new. */
interface SecretsAdded {
  add(secret: string, options?: { base64?: boolean; pieces?: boolean }): void;
  addRuntime(secret: string): void;
}

/** Where the generated texts are made of: the secrets' own pieces too. */
export const TEXT_PIECES = [...PIECES, 'zstack', '-Pass-', '2024', '5a1b2c3d', '4e5f6071', 'correct', 'horse', 'battery', 'admin:', 'onapp-Secret-77', 'YWRtaW46', '%41', '\\x41', '\\x4', '\\xg', '\\xZ', '\\\\x20'];
