import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { notFoundHints, shownConfigPath } from '../../src/config/config-file-path.js';
import { unquotedVariableHint } from '../../src/config/unquoted-variable.js';

/** How a config path is named in problems (config-file-path.ts), and the unquoted ${NAME} hint, by plain calls. */
const root = '/srv/backup-graph';

describe('notFoundHints', () => {
  it('adds nothing for an absolute path', () => {
    expect(notFoundHints('/etc/bg.yaml', { INIT_CWD: '/home/op' }, root)).toEqual({ where: '', remedy: '' });
  });

  it('says where a relative path was read from, and no remedy where npm ran where it was typed or no npm', () => {
    for (const env of [{}, { INIT_CWD: '' }, { INIT_CWD: root }, { INIT_CWD: `${root}/sub/..` }]) {
      expect(notFoundHints('sims.yaml', env, root), JSON.stringify(env)).toEqual({ where: ` (read from ${root})`, remedy: '' });
    }
  });

  it('says npm ran the gateway elsewhere than where npm was started, and what to give', () => {
    expect(notFoundHints('sims.yaml', { INIT_CWD: `${root}/deploy` }, root)).toEqual({
      where: ` (read from ${root})`,
      remedy: `; npm runs the gateway in ${root}, not in ${root}/deploy where npm was started: give the path from ${root}, or an absolute one`,
    });
  });
});

describe('notFoundHints: a config file a letter or two apart', () => {
  it('names it (--config sim.yaml beside sims.yaml), before the example to start from; a file of another kind or far apart is not named', () => {
    const checkout = mkdtempSync(join(tmpdir(), 'bg-near-'));
    try {
      writeFileSync(join(checkout, 'backup-graph.example.yaml'), 'providers: []\n');
      writeFileSync(join(checkout, 'sims.yaml'), 'providers: []\n');
      writeFileSync(join(checkout, 'prod.txt'), '');
      expect(notFoundHints('sim.yaml', {}, checkout)).toEqual({ where: ` (read from ${checkout})`, remedy: '; did you mean sims.yaml?' });
      expect(notFoundHints('./sims.yml', {}, checkout).remedy).toBe('; did you mean sims.yaml?');
      expect(notFoundHints('prod.yaml', {}, checkout).remedy).toContain('start from a copy');
      expect(notFoundHints('nope/sim.yaml', {}, checkout).remedy).toContain('start from a copy');
    } finally {
      rmSync(checkout, { recursive: true, force: true });
    }
  });

  it('names the nearest, the first by name of those as near, whatever order the folder lists them in', () => {
    const checkout = mkdtempSync(join(tmpdir(), 'bg-near-'));
    try {
      for (const name of ['sim.yml', 'sims.yml', 'zims.yaml']) writeFileSync(join(checkout, name), 'providers: []\n');
      // sim.yml is two edits from sims.yaml, sims.yml and zims.yaml one: the first of those in name order.
      expect(notFoundHints('sims.yaml', {}, checkout).remedy).toBe('; did you mean sims.yml?');
    } finally {
      rmSync(checkout, { recursive: true, force: true });
    }
  });
});

describe('notFoundHints: the example to start from', () => {
  it('points a relative path not found to the checkout\'s example when it is there, and only then', () => {
    const checkout = mkdtempSync(join(tmpdir(), 'bg-example-'));
    try {
      const hint = `; to write one, start from a copy of backup-graph.example.yaml (in ${checkout}), which lists every key with its default`;
      expect(notFoundHints('backup-graph.yaml', {}, checkout).remedy).toBe('');
      writeFileSync(join(checkout, 'backup-graph.example.yaml'), 'providers: []\n');
      expect(notFoundHints('backup-graph.yaml', {}, checkout)).toEqual({ where: ` (read from ${checkout})`, remedy: hint });
      expect(notFoundHints('conf/prod.yaml', { INIT_CWD: checkout }, checkout).remedy).toBe(hint);
      // The example itself missing, an absolute path (a deployment's file not mounted), npm run elsewhere (the file is there).
      expect(notFoundHints('backup-graph.example.yaml', {}, checkout).remedy).toBe('');
      expect(notFoundHints(join(checkout, 'backup-graph.yaml'), {}, checkout).remedy).toBe('');
      expect(notFoundHints('sims.yaml', { INIT_CWD: join(checkout, 'deploy') }, checkout).remedy).not.toContain('start from a copy');
    } finally {
      rmSync(checkout, { recursive: true, force: true });
    }
  });
});

describe('shownConfigPath', () => {
  it('names the path as given, unless npm ran the gateway elsewhere: then absolute', () => {
    expect(shownConfigPath('sims.yaml', {}, root)).toBe('sims.yaml');
    expect(shownConfigPath('sims.yaml', { INIT_CWD: '' }, root)).toBe('sims.yaml');
    expect(shownConfigPath('sims.yaml', { INIT_CWD: `${root}/` }, root)).toBe('sims.yaml');
    expect(shownConfigPath('/etc/bg.yaml', { INIT_CWD: '/home/op' }, root)).toBe('/etc/bg.yaml');
    expect(shownConfigPath('conf/sims.yaml', { INIT_CWD: '/home/op' }, root)).toBe(`${root}/conf/sims.yaml`);
  });
});

describe('unquotedVariableHint', () => {
  const hint = (line: number) => `; line ${line} has a \${NAME} without quotes inside { } or [ ], where YAML reads its { as a map: write it in quotes, "\${NAME}"`;
  const text = 'a: 1\nauth: { token: ${TOKEN} }\n';

  it('hints where YAML stopped at the { of an unquoted ${NAME}', () => {
    expect(unquotedVariableHint(text, { line: 2, col: 17 })).toBe(hint(2));
    expect(unquotedVariableHint('${_A9}', { line: 1, col: 2 })).toBe(hint(1));
  });

  it('says nothing where it stopped elsewhere, or at no variable', () => {
    for (const at of [undefined, { line: 2, col: 16 }, { line: 2, col: 18 }, { line: 1, col: 17 }, { line: 9, col: 2 }, { line: 1, col: 1 }, { line: 1, col: 0 }]) {
      expect(unquotedVariableHint(text, at), JSON.stringify(at)).toBe('');
    }
    for (const source of ['${9A}', '${}', '${A-B}', '{A}', 'x${A}']) expect(unquotedVariableHint(source, { line: 1, col: 2 }), source).toBe('');
  });
});
