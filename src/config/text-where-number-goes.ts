/**
 * What to say of text where a number or a boolean goes. Substitution fills strings only, so a
 * quoted `"24"` and a `${NAME}` are told to write the value without quotes; but every string
 * there read so: `retries: two` has neither quotes nor a `${NAME}`, and at `listen.port` and
 * `admin.port` one `${NAME}` alone is read as the port (port-references.ts), so "a ${NAME}
 * always gives a string" sent the reader away from the one form that works there. Never quotes
 * the value: it may be a secret written at the wrong key.
 */
const NUMBER_FORM = /^\s*[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[-+]?\d+)?\s*$/i;
const BOOLEAN_FORM = /^\s*(?:true|false)\s*$/i;
const PORT_KEYS: ReadonlySet<string> = new Set(['listen.port', 'admin.port']);

export const NOT_DIGITS_WORDS = 'must be a number written in digits alone (2, not two; 1000, not 1,000 or 1 000)';

/** The problem for `written` at `path` where `expected` ('number' or 'boolean') goes. */
export function textWhereNumberGoes(expected: 'number' | 'boolean', path: ReadonlyArray<PropertyKey>, written: string): string {
  if (expected === 'boolean' && !BOOLEAN_FORM.test(written)) return 'must be true or false';
  if (expected === 'number' && !NUMBER_FORM.test(written)) return NOT_DIGITS_WORDS;
  if (PORT_KEYS.has(path.map(String).join('.'))) return 'must be a number, written without quotes, or one ${NAME} and nothing else (read as the port)';
  return `must be a ${expected}, written without quotes (a \${NAME} always gives a string)`;
}
