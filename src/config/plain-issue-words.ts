import type { z } from 'zod';
import { isPlainWord } from './usable-id.js';

/** What a value of zod's expected type is, in the file's words: a YAML reader knows no "object". */
const WRITTEN_AS: Readonly<Record<string, string>> = {
  object: 'keys and values (key: value, or { key: value })',
  // zod's word for a map of any keys (`protection.perProvider`).
  record: 'keys and values (key: value, or { key: value })',
  array: 'a list ([a, b], or one "- item" a line)',
  number: 'a number',
  int: 'a whole number',
  string: 'text',
  boolean: 'true or false',
};

/**
 * zod's own words for a wrong type or size ("Too big: expected number to be <=65535", "Invalid
 * input: expected object, received null" for a key with nothing after its colon) read as an
 * internal error to someone editing YAML. Undefined: keep zod's. Never quotes the value: it may
 * be a secret written at the wrong key.
 */
export function plainIssueWords(issue: z.core.$ZodRawIssue): string | undefined {
  if (issue.code === 'invalid_type') {
    const wanted = WRITTEN_AS[issue.expected];
    if (wanted === undefined) return undefined;
    // A list item is `-` with nothing after it, a key `key:` with nothing after its colon.
    if (issue.input === null) return `has no value (nothing after its ${typeof issue.path?.at(-1) === 'number' ? '"-"' : 'colon'}): write ${wanted}`;
    const asPort = issue.expected === 'object' ? portAsSection(issue.input, issue.path) : undefined;
    if (asPort !== undefined) return asPort;
    const asList = issue.expected === 'array' ? wordsAsList(issue.input) : undefined;
    if (asList !== undefined) return `must be a list: write ${asList} (or one "- item" a line)`;
    const unquoted = issue.expected === 'string' ? textReadAsOther(issue.input) : undefined;
    if (unquoted !== undefined) return unquoted;
    return `must be ${wanted}`;
  }
  if (issue.code === 'too_big' || issue.code === 'too_small') {
    const bound = issue.code === 'too_big' ? issue.maximum : issue.minimum;
    const most = issue.code === 'too_big' ? 'most' : 'least';
    const exclusive = issue.inclusive === false;
    if (issue.origin === 'number' || issue.origin === 'int') {
      if (exclusive) return `must be ${issue.code === 'too_big' ? 'less' : 'more'} than ${bound}`;
      return `must be at ${most} ${bound}`;
    }
    if (issue.origin === 'string') return issue.code === 'too_small' && Number(bound) === 1 ? 'must not be empty' : `must be at ${most} ${bound} characters`;
    if (issue.origin === 'array') return `must hold at ${most} ${bound} item${Number(bound) === 1 ? '' : 's'}`;
  }
  return undefined;
}

/**
 * `roles: admin` (or `roles: viewer, admin`, one text to YAML) written as the list it was meant
 * as, `[admin]`: "must be a list" left a newcomer to work out the brackets. Only plain words are
 * shown (anything else may be a secret at the wrong key).
 */
function wordsAsList(input: unknown): string | undefined {
  if (typeof input !== 'string') return undefined;
  const words = input.split(',').map((word) => word.trim());
  return words.every(isPlainWord) ? `[${words.join(', ')}]` : undefined;
}

/**
 * A number or true/false where text goes (`password: 12345678`, `username: 1001`, `key: yes` in
 * YAML 1.1's habit): YAML read it so because it has no quotes, and "must be text" left a newcomer
 * looking for what else to write. A number so read has also lost a leading 0 or digits past 2^53,
 * which quotes keep. Never quoted (it may be a secret).
 */
function textReadAsOther(input: unknown): string | undefined {
  if (typeof input === 'number') return 'must be text, and YAML reads this value as a number: write it in quotes ("...")';
  if (typeof input === 'boolean') return 'must be text, and YAML reads this value as true or false: write it in quotes ("...")';
  return undefined;
}

/** The top-level sections whose one everyday key is `port`. */
const PORT_SECTIONS: ReadonlySet<PropertyKey> = new Set(['listen', 'admin']);

/**
 * `listen: 4000` (the port written as the section) shown as the section to write, `{ port: 4000 }`:
 * "must be keys and values" left a newcomer to find which key the number belongs to. A port is
 * no secret, and only a whole number from 0 to 65535 is shown.
 */
function portAsSection(input: unknown, path: readonly PropertyKey[] | undefined): string | undefined {
  if (path?.length !== 1 || !PORT_SECTIONS.has(path[0]!) || typeof input !== 'number' || !Number.isInteger(input) || input < 0 || input > 65535) return undefined;
  return `must be keys and values: write ${String(path[0])}: { port: ${input} } (the port is one of its keys, beside host)`;
}
