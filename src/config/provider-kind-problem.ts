import { closestKey } from './did-you-mean.js';
import { isPlainWord } from './usable-id.js';

/**
 * What is wrong with a provider entry's `kind` when it names no provider. zod's own
 * "Invalid discriminator value" read as a wrong value to someone whose entry lacks the key
 * (`knd: zstack`, whose unknown key zod never reports: without a kind the entry's other keys
 * are not checked), and did not say that `Danube` only needs lower case. The value is not
 * quoted: a misplaced line of the file could be a secret.
 */
export function providerKindProblem(entry: unknown, kinds: readonly string[]): string {
  const list = kinds.join(', ');
  if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) return `must be one of ${list}`;
  const kind: unknown = (entry as Record<string, unknown>).kind;
  if (kind === undefined) {
    // A key whose value is a kind (`knd: zstack`, `type: danube`) is the kind under another name;
    // an account's id or display name may well be a kind's word.
    const misnamed = Object.entries(entry).find(([key, value]) => key !== 'id' && key !== 'name' && typeof value === 'string' && kinds.includes(value.toLowerCase()))?.[0];
    // The key is quoted only where it has a key's form: a token may be written as a key.
    return misnamed === undefined || !isPlainWord(misnamed) ? `required: one of ${list}` : `required: one of ${list} (is "${misnamed}" meant as kind?)`;
  }
  if (typeof kind === 'string') {
    const lowerCase = kinds.find((known) => known === kind.trim().toLowerCase());
    if (lowerCase !== undefined) return `must be "${lowerCase}" (kinds are lower case)`;
    const meant = meantKind(kind, kinds);
    // The kind it is near, never the value itself: only a word that is nearly a kind gets a hint.
    if (meant !== null) return `must be one of ${list}; did you mean "${meant}"?`;
  }
  return `must be one of ${list}`;
}

/**
 * The kind a misspelt one meant: the company's name as written elsewhere (`on-app`, `Danube
 * Cloud`, `ZStack Cloud`) or a typo (`zstak`, `danub`).
 */
function meantKind(kind: string, kinds: readonly string[]): string | null {
  const letters = kind.toLowerCase().replace(/[^a-z]/g, '');
  const named = kinds.find((known) => letters === known || (letters.startsWith(known) && letters.length <= known.length + 6));
  return named ?? closestKey(letters, kinds);
}
