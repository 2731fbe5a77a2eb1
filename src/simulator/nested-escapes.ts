import type { SimResponse } from './server.js';

/** HTML5 names for some of the characters credentials hold. */
const HTML_NAMES: Readonly<Record<string, string>> = { '.': 'period', '@': 'commat', ':': 'colon', '/': 'sol', '=': 'equals', '+': 'plus', _: 'lowbar' };

/**
 * An answer as a hostile provider might write it: in every string, each ASCII
 * character other than a letter or digit behind escapes inside escapes, in
 * turn URL-encoded twice (`%252D`), a decimal reference with overlong digits
 * and an HTML5 name or hex reference, the body then JSON-encoded as Rails
 * does (`&` as `\u0026`), so each reference is HTML written as JSON escapes.
 * What the answer quotes reads the same once its escapes are read through.
 */
export function withNestedEscapes(answer: SimResponse): SimResponse {
  const json = JSON.stringify(escapeStrings(answer.json ?? answer.text ?? ''));
  return { status: answer.status, headers: { ...answer.headers, 'content-type': 'application/json' }, text: json.replaceAll('&', '\\u0026') };
}

function escapeStrings(value: unknown): unknown {
  if (typeof value === 'string') return [...value].map(escapeCharacter).join('');
  if (Array.isArray(value)) return value.map(escapeStrings);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, field]) => [key, escapeStrings(field)]));
  return value;
}

function escapeCharacter(char: string, index: number): string {
  const code = char.charCodeAt(0);
  if (/[A-Za-z0-9]/.test(char) || code < 0x20 || code > 0x7e) return char;
  const hex = code.toString(16).toUpperCase().padStart(2, '0');
  if (index % 3 === 0) return `%25${hex}`;
  if (index % 3 === 1) return `&#${String(code).padStart(8, '0')};`;
  const name = HTML_NAMES[char];
  return name ? `&${name};` : `&#x${hex.padStart(6, '0')};`;
}
