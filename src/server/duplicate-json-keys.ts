import { clippedStart } from '../graphql/scrubbed-log-text.js';
/** An object on the scan's stack before its first key. */
const EMPTY_OBJECT = 0;
/** An array on the scan's stack: its strings are values, never keys. */
const ARRAY = 1;

type Frame = typeof EMPTY_OBJECT | typeof ARRAY | string | Set<string>;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** The longest name a refusal quotes: the client's own text, cut. */
const NAME_SHOWN = 40;

/**
 * The first name an object of `text` (JSON) holds twice, at any depth, or undefined. JSON.parse
 * keeps the last of repeated names without a word, while a proxy, a WAF or a log reader in front
 * may judge the request by the first (`{"query": "{ __typename }", "query": "mutation ..."}`):
 * RFC 8259 4 leaves such a text's meaning to each parser. Names are compared as parsed
 * (`"qu\u0065ry"` is `query`). One pass over the text; a Set only for an object with a second
 * name. Text that is no JSON is read as far as it goes, without throwing: its parse refuses it.
 */
export function repeatedJsonName(text: string): string | undefined {
  const stack: Frame[] = [];
  let expectName = false;
  const length = text.length;
  let index = 0;
  while (index < length) {
    const char = text.charCodeAt(index);
    if (char === QUOTE) {
      let end = index + 1;
      let escaped = false;
      while (end < length) {
        const inner = text.charCodeAt(end);
        if (inner === BACKSLASH) {
          escaped = true;
          end += 2;
          continue;
        }
        if (inner === QUOTE) break;
        end += 1;
      }
      if (expectName) {
        const name = escaped ? parsedName(text.slice(index, end + 1)) : text.slice(index + 1, end);
        const top = stack[stack.length - 1];
        if (top === EMPTY_OBJECT) stack[stack.length - 1] = name;
        else if (typeof top === 'string') {
          if (top === name) return shown(name);
          stack[stack.length - 1] = new Set([top, name]);
        } else if (top instanceof Set) {
          if (top.has(name)) return shown(name);
          top.add(name);
        }
        expectName = false;
      }
      index = end + 1;
      continue;
    }
    if (char === 0x7b /* { */) {
      stack.push(EMPTY_OBJECT);
      expectName = true;
    } else if (char === 0x5b /* [ */) {
      stack.push(ARRAY);
      expectName = false;
    } else if (char === 0x7d /* } */ || char === 0x5d /* ] */) {
      stack.pop();
      expectName = false;
    } else if (char === 0x2c /* , */) {
      expectName = stack.length > 0 && stack[stack.length - 1] !== ARRAY;
    }
    index += 1;
  }
  return undefined;
}

function parsedName(quoted: string): string {
  try {
    const parsed: unknown = JSON.parse(quoted);
    return typeof parsed === 'string' ? parsed : quoted;
  } catch {
    return quoted;
  }
}

/** The name as the refusal and its log line show it: clippedStart, as the log's scrub finds a credential's hex or escaped form only whole. */
const shown = (name: string): string => (name.length > NAME_SHOWN ? `${clippedStart(name, NAME_SHOWN)}...` : name);

/** The refusal's words, for an HTTP body and a WebSocket message alike (within a close frame's 123 bytes). */
export function repeatedJsonNameMessage(name: string): string {
  return `the JSON sent names "${name.replace(/[^\x20-\x7e]/g, '?')}" twice in one object: send each name once`;
}
