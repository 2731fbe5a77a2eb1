import { readFileSync } from 'node:fs';

/**
 * A systemd unit file read as systemd reads it, for the parts the shipped unit uses: sections,
 * `Key=value` lines (a key may repeat), `#`/`;` comments, a trailing `\` joining lines, and the
 * specifiers %i (instance), %d (credentials directory) and %%.
 */
export type Unit = ReadonlyMap<string, ReadonlyArray<readonly [key: string, value: string]>>;

export function parseUnit(text: string): Unit {
  const sections = new Map<string, Array<readonly [string, string]>>();
  let current: Array<readonly [string, string]> | undefined;
  const lines = text.replace(/\\\n/g, ' ').split('\n');
  for (const raw of lines) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const header = /^\[(.+)\]$/.exec(line);
    if (header) {
      current = [];
      sections.set(header[1] as string, current);
      continue;
    }
    const equals = line.indexOf('=');
    if (current === undefined || equals < 1) throw new Error(`not a unit line: ${line}`);
    current.push([line.slice(0, equals).trim(), line.slice(equals + 1).trim()]);
  }
  return sections;
}

/** Every value of `key` in `section`, in order (empty when absent). */
export function values(unit: Unit, section: string, key: string): string[] {
  return (unit.get(section) ?? []).filter(([name]) => name === key).map(([, value]) => value);
}

/** The one value of `key`; a key set twice (the last wins in systemd) is a mistake in this file. */
export function single(unit: Unit, section: string, key: string): string | undefined {
  const found = values(unit, section, key);
  if (found.length > 1) throw new Error(`${section}.${key} is set ${found.length} times`);
  return found[0];
}

export function expandSpecifiers(value: string, specifiers: { instance: string; credentialsDirectory: string }): string {
  return value.replace(/%(.)/g, (whole, letter: string) => {
    if (letter === 'i') return specifiers.instance;
    if (letter === 'd') return specifiers.credentialsDirectory;
    if (letter === '%') return '%';
    throw new Error(`specifier ${whole} is not one this reader knows`);
  });
}

/** `Environment=A=1 B=2`: one or more assignments, without quotes in this unit. */
export function assignments(value: string): Array<[string, string]> {
  return value.split(/\s+/).map((pair) => {
    const equals = pair.indexOf('=');
    if (equals < 1) throw new Error(`not an assignment: ${pair}`);
    return [pair.slice(0, equals), pair.slice(equals + 1)];
  });
}

/** An EnvironmentFile= file: `KEY=value` lines, comments and blank lines skipped, one pair of quotes removed. */
export function readEnvironmentFile(path: string): Record<string, string> {
  const variables: Record<string, string> = {};
  for (const raw of readFileSync(path, 'utf8').split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const match = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (!match) throw new Error(`${path}: not a KEY=value line: ${line}`);
    variables[match[1] as string] = (match[2] as string).replace(/^"(.*)"$|^'(.*)'$/, '$1$2');
  }
  return variables;
}

/** A time span as systemd writes it (`20s`, `1min 30s`, `500ms`, a bare number of seconds), in ms. */
export function timeSpanMs(value: string): number {
  const units: Record<string, number> = { ms: 1, s: 1_000, sec: 1_000, '': 1_000, m: 60_000, min: 60_000 };
  let total = 0;
  for (const part of value.trim().split(/\s+/)) {
    const match = /^(\d+)([a-z]*)$/.exec(part);
    const unit = match ? units[match[2] as string] : undefined;
    if (!match || unit === undefined) throw new Error(`not a time span this reader knows: ${value}`);
    total += Number(match[1]) * unit;
  }
  return total;
}
