/** A duration written with a unit, as other tools take it: `10s`, `500ms`, `2m`, `1h`, `2d`. */
const WITH_UNIT = /^(\d+(?:\.\d+)?)\s*(ms|s|m|min|h|d)$/i;
const MS_PER_UNIT: Readonly<Record<string, number>> = { ms: 1, s: 1_000, m: 60_000, min: 60_000, h: 3_600_000, d: 86_400_000 };
const MS_PER_HOUR = 3_600_000;

/**
 * The unit the setting at `path` takes, by its name: ...Ms milliseconds, ...Hours hours, and so
 * `protection.perProvider`'s entries (keyed by account id, objectives in hours as `rpoHours`).
 */
function unitAt(path: ReadonlyArray<PropertyKey>): { name: string; ms: number } | null {
  const key = path.at(-1);
  if (typeof key === 'string' && key.endsWith('Ms')) return { name: 'milliseconds', ms: 1 };
  if ((typeof key === 'string' && key.endsWith('Hours')) || path.at(-2) === 'perProvider') return { name: 'hours', ms: MS_PER_HOUR };
  return null;
}

/**
 * What to say of a number written with a unit at `path`, or undefined for any other text. It read
 * "must be a number, written without quotes (a ${NAME} always gives a string)": `timeoutMs: 10s`
 * has no quotes, and nothing said the unit was the problem; `rpoHours: 24h` read "must be a plain
 * number", with nothing said of the hours it takes. The figure is offered when it is whole.
 */
export function numberWithUnitProblem(path: ReadonlyArray<PropertyKey>, written: string): string | undefined {
  const match = WITH_UNIT.exec(written.trim());
  if (!match) return undefined;
  const unit = unitAt(path);
  if (unit === null) return 'must be a plain number, without a unit';
  const value = (Number(match[1]) * (MS_PER_UNIT[match[2]!.toLowerCase()] ?? 1)) / unit.ms;
  return `must be a number of ${unit.name} without a unit${Number.isInteger(value) ? `: ${written.trim()} is ${value}` : ''}`;
}
