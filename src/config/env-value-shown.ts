import { isPlainWord } from './usable-id.js';

/**
 * A number as people write one where a number goes, right or wrong: `-1`, `4000.5`, `1e3`,
 * `30s`, `2min`, `0x10`, `3000000000`. Twelve digits at most: a longer run is no duration or port.
 */
const NUMBER_LIKE = /^(?:[+-]?(?:\d{1,12}(?:\.\d{0,6})?|\.\d{1,6})(?:e[+-]?\d{1,3})?[a-z]{0,3}|0x[0-9a-f]{1,8})$/i;

/** As isPlainWord: longer than any word or number a variable such as PORT or LOG_LEVEL takes. */
const SHOWN_MAX_CHARS = 40;

/** Whether a variable's value may be quoted: numbers and plain words, or a list of them (`info,debug`). */
export function mayQuoteEnvValue(value: string): boolean {
  const trimmed = value.trim();
  if (trimmed === '' || value.length > SHOWN_MAX_CHARS) return false;
  return trimmed.split(',').every((part) => NUMBER_LIKE.test(part.trim()) || isPlainWord(part.trim()));
}

/**
 * How a refusal of a variable (PORT, LOG_LEVEL, DRAIN_TIMEOUT_MS, ...) names it: `PORT=abc`, or
 * the name alone where the value has neither a number's nor a word's form. A token set in the
 * wrong variable (`PORT=$API_TOKEN`, a line of a .env shifted by one) was quoted up to 40
 * characters, to a terminal, a CI log or a pod's events.
 */
export function shownEnvSetting(name: string, value: string): string {
  if (mayQuoteEnvValue(value)) return `${name}=${value}`;
  return `${name} (not quoted: ${value.length} characters, not of a number's or a word's form; it may be a secret set in the wrong variable)`;
}
