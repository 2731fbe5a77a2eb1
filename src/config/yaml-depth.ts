import { type CST, LineCounter, Parser, YAMLParseError } from 'yaml';

/**
 * How deep lists and mappings may sit inside one another in the config file. A config nests six
 * at most (providers, an account, its auth, ...); YAML's composer recurses once a level and ran out
 * of stack some 800 levels down, so `[[[[...` a 100,000 deep was refused as "Maximum call stack
 * size exceeded" at a column that moved with the stack's size: words of no config loader's.
 */
export const MAX_CONFIG_NESTING = 64;

export const TOO_DEEP = `lists and mappings are nested deeper than ${MAX_CONFIG_NESTING} levels here (by [ and { or by indenting), where a config needs six at most: look for a [ or { left unclosed`;

/**
 * The first list or mapping nested past MAX_CONFIG_NESTING, as an error at its line, or undefined.
 * Read off YAML's concrete syntax tree, which its parser builds without recursing, by a walk with
 * a stack of its own: the check itself runs out of no stack however deep the file goes.
 */
export function tooDeeplyNested(text: string): YAMLParseError | undefined {
  const lineCounter = new LineCounter();
  const pending: Array<{ token: CST.Token; depth: number }> = [];
  for (const token of new Parser(lineCounter.addNewLine).parse(text)) pending.push({ token, depth: 0 });
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const { token, depth } = next;
    if (token.type === 'document') {
      if (token.value) pending.push({ token: token.value, depth });
      continue;
    }
    if (token.type !== 'block-map' && token.type !== 'block-seq' && token.type !== 'flow-collection') continue;
    if (depth + 1 > MAX_CONFIG_NESTING) return refusalAt(token.offset, lineCounter);
    for (const item of token.items) {
      if ('key' in item && item.key) pending.push({ token: item.key, depth: depth + 1 });
      if (item.value) pending.push({ token: item.value, depth: depth + 1 });
    }
  }
  return undefined;
}

function refusalAt(offset: number, lineCounter: LineCounter): YAMLParseError {
  const error = new YAMLParseError([offset, offset], 'RESOURCE_EXHAUSTION', TOO_DEEP);
  error.linePos = [lineCounter.linePos(offset)];
  return error;
}
