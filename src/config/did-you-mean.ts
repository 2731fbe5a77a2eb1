/** Edit distance (insert, delete, substitute one character), for "did you mean" hints. */
export function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min((previous[j] as number) + 1, (current[j - 1] as number) + 1, (previous[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length] as number;
}

/** The known key an unknown one most likely meant: same letters in another case, else the nearest close enough. */
export function closestKey(unknown: string, known: readonly string[]): string | null {
  const lower = unknown.toLowerCase();
  const sameLetters = known.find((key) => key.toLowerCase() === lower);
  if (sameLetters) return sameLetters;
  let best: string | null = null;
  let bestDistance = Math.max(2, Math.floor(unknown.length / 3)) + 1;
  for (const key of known) {
    const d = distance(lower, key.toLowerCase());
    if (d < bestDistance) {
      best = key;
      bestDistance = d;
    }
  }
  return best;
}

/** The problem text for one unknown key: a suggestion, else the keys that are allowed there. */
export function unknownKeyMessage(unknown: string, known: readonly string[]): string {
  const suggestion = closestKey(unknown, known);
  if (suggestion) return `unknown key; did you mean "${suggestion}"?`;
  return known.length > 0 ? `unknown key; allowed here: ${known.join(', ')}` : 'unknown key';
}
