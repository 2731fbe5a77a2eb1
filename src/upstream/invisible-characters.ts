/**
 * Characters a reader skips over, which a provider may put inside a secret it quotes back
 * (`nightowl\u0001password`): C0 controls other than whitespace (0x00-0x08, 0x0E-0x1F), DEL and
 * the C1 controls, the soft hyphen, the Arabic letter mark, the Mongolian vowel separator,
 * zero-width space, non-joiner and joiner, the left-to-right and right-to-left marks, the
 * bidirectional embeddings, overrides and isolates, the word joiner and invisible operators, the
 * BOM, and the tag characters (U+E0000-E007F, a surrogate pair each). No search of the scrubber
 * passed over them: each was a hole no form, pattern or piece crossed. The whitespace controls
 * (0x09-0x0D) and `\s` are splits the searches read already. And U+FFFD: a provider's message
 * shows each of the others as one (clipProviderMessage) before it is scrubbed once more
 * (scrubbedError), so a secret the answer's scrub missed there (`nightowl\u00a0\u200bpassword`,
 * when the split-words search read no `\u00a0` escape) was quoted whole but for it.
 */
const INVISIBLE_CLASS = '[\\u0000-\\u0008\\u000e-\\u001f\\u007f-\\u009f\\u00ad\\u061c\\u180e\\u200b-\\u200f\\u202a-\\u202e\\u2060-\\u2069\\ufeff\\ufffd]|\\udb40[\\udc00-\\udc7f]';

/**
 * JSON's escapes of them (a JSON answer can carry a control character only so, and encoders that
 * escape everything past ASCII write `\u200b`), and `\b`, JSON's backspace (0x08).
 */
const ESCAPED_INVISIBLE =
  '\\\\u(?:00(?:0[0-8]|0[eEfF]|1[0-9a-fA-F]|7[fF]|[89][0-9a-fA-F]|[aA][dD])|061[cC]|180[eE]|200[b-fB-F]|202[a-eA-E]|206[0-9]|[fF][eE][fF][fF]|[fF]{3}[dD]|[dD][bB]40\\\\u[dD][cC][0-7][0-9a-fA-F])|\\\\b';

/**
 * Their UTF-8 percent-encoded, either case (`%E2%80%8B`, `%00`, `%C2%AD`): a URL in a name or a
 * raw field (a provider's link quoting the key it was sent) carries one so, and
 * `night%E2%80%8Bowl%20password` kept the key whole but for the hole (`%20` is a split already).
 */
const PERCENT_INVISIBLE =
  '%(?:0[0-8]|0[eEfF]|1[0-9a-fA-F]|7[fF]|[cC]2%(?:[89][0-9a-fA-F]|[aA][dD])|[dD]8%9[cC]|[eE]1%[aA]0%8[eE]|[eE]2%(?:80%(?:8[b-fB-F]|[aA][a-eA-E])|81%[aA][0-9])|[eE][fF]%[bB](?:[bB]%[bB][fF]|[fF]%[bB][dD])|[fF]3%[aA]0%8[01]%[89aAbB][0-9a-fA-F])';

const RAW = new RegExp(INVISIBLE_CLASS);
const ESCAPED = new RegExp(ESCAPED_INVISIBLE);
const PERCENT = new RegExp(PERCENT_INVISIBLE);
/** What the reading takes out, and JSON's `\\` (one backslash), kept, so that `\\u200b` stays a backslash and "u200b". */
const TAKEN_OUT = new RegExp(`\\\\\\\\|${INVISIBLE_CLASS}|${ESCAPED_INVISIBLE}|${PERCENT_INVISIBLE}`, 'g');

/**
 * Whether `text` holds an invisible character, JSON's escape of one or its percent-encoding: a
 * native search or three, no copy, so that an answer without any (nearly all) costs the scrubber
 * nothing else.
 */
export function holdsInvisible(text: string): boolean {
  return RAW.test(text) || (text.includes('\\') && ESCAPED.test(text)) || (text.includes('%') && PERCENT.test(text));
}

/** `text` read without its invisible characters: `places[i]` is where the reading's i-th character stands in `text`. */
export interface InvisiblesLeftOut {
  text: string;
  places: Int32Array;
}

/** `text` with its invisible characters, their JSON escapes and percent-encodings left out, and where each character left stands in it. */
export function withoutInvisibles(text: string): InvisiblesLeftOut {
  const places = new Int32Array(text.length);
  const parts: string[] = [];
  let length = 0;
  let copied = 0;
  const keep = (end: number): void => {
    parts.push(text.slice(copied, end));
    for (let at = copied; at < end; at++) places[length++] = at;
  };
  TAKEN_OUT.lastIndex = 0;
  for (let match = TAKEN_OUT.exec(text); match !== null; match = TAKEN_OUT.exec(text)) {
    if (match[0] === '\\\\') continue;
    keep(match.index);
    copied = TAKEN_OUT.lastIndex;
  }
  keep(text.length);
  return { text: parts.join(''), places: places.subarray(0, length) };
}
