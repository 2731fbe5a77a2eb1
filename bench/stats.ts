/** The middle value (of an even count, the upper of the two middle ones); NaN for none. */
export function median(values: readonly number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;
}

/** An environment knob that must be a whole number >= 1: `fallback` when unset, an error (naming it) when not. */
export function positiveCount(name: string, fallback: number, env: NodeJS.ProcessEnv = process.env): number {
  const raw = env[name];
  const value = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be an integer >= 1, got ${raw}`);
  return value;
}
