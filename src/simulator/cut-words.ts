import type { SimResponse } from './server.js';

/** A provider's quote cut this often: the piece search reads a piece of a secret from this length on. */
const PIECE_LENGTH = 7;

/**
 * An answer as a hostile provider might write it to slip a credential past a scrubber: in every
 * string, each run of ASCII letters and digits longer than PIECE_LENGTH cut every PIECE_LENGTH
 * characters by `between` (a joiner behind escapes, `\u005c\u005c\u005c\u005c\u002d`), which the
 * answer's JSON encodes as it does any text. A reader taking the escapes out reads the credential whole.
 */
export function withWordsCut(answer: SimResponse, between: string): SimResponse {
  if (answer.json === undefined) return { ...answer, text: cutWords(answer.text ?? '', between) };
  return { ...answer, json: cutStrings(answer.json, between) };
}

function cutStrings(value: unknown, between: string): unknown {
  if (typeof value === 'string') return cutWords(value, between);
  if (Array.isArray(value)) return value.map((item) => cutStrings(item, between));
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, field]) => [key, cutStrings(field, between)]));
  return value;
}

function cutWords(text: string, between: string): string {
  return text.replace(new RegExp(`[A-Za-z0-9]{${PIECE_LENGTH + 1},}`, 'g'), (word) => word.match(new RegExp(`.{1,${PIECE_LENGTH}}`, 'g'))?.join(between) ?? word);
}
