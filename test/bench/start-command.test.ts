import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseStartScript, startCommand } from '../../bench/start-command.js';
import { tempDirs } from '../helpers/temp-dirs.js';

const temp = tempDirs();
afterAll(() => temp.removeAll());

/** The bench runs its gateway child as `npm start` would: its variables in the child's env, its flags on node. */
describe('bench/start-command.ts', () => {
  const shipped = 'MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2} exec node --max-semi-space-size=4 --initial-old-space-size=32 dist/main.js';

  it('reads the assignment before exec node as sh resolves it: 2 unless the caller set a value', () => {
    expect(parseStartScript(shipped, {})).toEqual({ env: { MALLOC_ARENA_MAX: '2' }, nodeFlags: ['--max-semi-space-size=4', '--initial-old-space-size=32'] });
    expect(parseStartScript(shipped, { MALLOC_ARENA_MAX: '4' }).env).toEqual({ MALLOC_ARENA_MAX: '4' });
    // sh's :- takes an empty value as unset.
    expect(parseStartScript(shipped, { MALLOC_ARENA_MAX: '' }).env).toEqual({ MALLOC_ARENA_MAX: '2' });
  });

  it('reads a start that assigns nothing (an older build as BENCH_BASELINE) as no variables, the same flags', () => {
    expect(parseStartScript('exec node --max-semi-space-size=4 --initial-old-space-size=32 dist/main.js', {})).toEqual({ env: {}, nodeFlags: ['--max-semi-space-size=4', '--initial-old-space-size=32'] });
    expect(parseStartScript('node dist/main.js', {})).toEqual({ env: {}, nodeFlags: [] });
  });

  it('refuses shell it does not understand rather than passing it on as a value', () => {
    expect(() => parseStartScript('A=$(date) exec node dist/main.js', {})).toThrow('only a plain value or ${A:-value}');
    expect(() => parseStartScript('A=${B:-2} exec node dist/main.js', {})).toThrow('A=${B:-2}');
  });

  it('reads this checkout\'s package.json by default, and a build\'s own above its dist/', () => {
    expect(startCommand(undefined, {}).env).toEqual({ MALLOC_ARENA_MAX: '2' });
    const baseline = temp.make('bg-bench-baseline-');
    mkdirSync(join(baseline, 'dist', 'bench-modules'), { recursive: true });
    writeFileSync(join(baseline, 'package.json'), JSON.stringify({ scripts: { start: 'exec node --max-semi-space-size=4 dist/main.js' } }));
    expect(startCommand(join(baseline, 'dist', 'bench-modules'), {})).toEqual({ env: {}, nodeFlags: ['--max-semi-space-size=4'] });
  });
});
