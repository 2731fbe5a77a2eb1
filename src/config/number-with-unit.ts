/** A duration written with a unit, as other tools take it: `10s`, `500ms`, `2m`, `1h`. */
const WITH_UNIT = /^(\d+(?:\.\d+)?)\s*(ms|s|m|min|h)$/i;
const MS_PER_UNIT: Readonly<Record<string, number>> = { ms: 1, s: 1_000, m: 60_000, min: 60_000, h: 3_600_000 };

/**
 * What to say of a number written with a unit at `key`, or undefined for any other text. It read
 * "must be a number, written without quotes (a ${NAME} always gives a string)": `timeoutMs: 10s`
 * has no quotes, and nothing said the unit was the problem. Settings named ...Ms take milliseconds.
 */
export function numberWithUnitProblem(key: unknown, written: string): string | undefined {
  const match = WITH_UNIT.exec(written.trim());
  if (!match) return undefined;
  if (typeof key !== 'string' || !key.endsWith('Ms')) return 'must be a plain number, without a unit';
  const milliseconds = Number(match[1]) * (MS_PER_UNIT[match[2]!.toLowerCase()] ?? 1);
  return `must be a number of milliseconds without a unit${Number.isInteger(milliseconds) ? `: ${written.trim()} is ${milliseconds}` : ''}`;
}
