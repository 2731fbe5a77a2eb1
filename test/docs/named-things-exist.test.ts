import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { usage } from '../../src/cli.js';
import { readSchemaText } from '../../src/graphql/schema-file.js';
import { providerCommonShape } from '../../src/providers/config-base.js';
import { PROVIDER_MODULES } from '../../src/providers/registry.js';

/**
 * What the README and docs/ tell a reader to run or open, named the way they name it: an npm
 * script, a gateway option, a file of the checkout, a package. Each is renamed or removed in the
 * code without the prose noticing; these read the prose against the checkout, whole classes at a
 * time, so a new sentence is checked without a new test.
 */
const ROOT = new URL('../../', import.meta.url).pathname;
const read = (file: string): string => readFileSync(join(ROOT, file), 'utf8');
const DOCS = readdirSync(join(ROOT, 'docs')).filter((name) => name.endsWith('.md')).map((name) => `docs/${name}`);
const MANUAL = ['README.md', 'CONTRIBUTING.md', ...DOCS];
const README = read('README.md');
const PACKAGE = JSON.parse(read('package.json')) as { scripts: Record<string, string>; dependencies: Record<string, string>; devDependencies: Record<string, string> };

describe('what the README and docs/ name is there', () => {
  it('names as `npm run X` only scripts package.json has', () => {
    const named = MANUAL.flatMap((file) => [...read(file).matchAll(/\bnpm run ([a-z][\w:-]*)/g)].map(([, script]) => `${file}: ${script}`));
    expect(named.length).toBeGreaterThan(10);
    expect(named.filter((entry) => !(entry.slice(entry.indexOf(': ') + 2) in PACKAGE.scripts))).toEqual([]);
  });

  it('passes the gateway, after npm start --, only options --help lists, and shows every one --help lists', () => {
    const help = usage(readSchemaText());
    const listed = new Set([...help.matchAll(/^ {2}(--[a-z-]+)/gm)].map(([, option]) => option!));
    expect(listed.size).toBeGreaterThan(4);
    const passed = MANUAL.flatMap((file) => [...read(file).matchAll(/\bnpm start (?:--silent )?-- ((?:--[a-z-]+(?: [^\s`-][^\s`]*)? ?)+)/g)].flatMap(([, options]) => options!.match(/--[a-z-]+/g)!.map((option) => `${file}: ${option}`)));
    expect(passed.length).toBeGreaterThan(10);
    expect(passed.filter((entry) => !listed.has(entry.slice(entry.indexOf(': ') + 2)))).toEqual([]);
    const inReadme = new Set(passed.filter((entry) => entry.startsWith('README.md: ')).map((entry) => entry.slice('README.md: '.length)));
    expect([...listed].filter((option) => !inReadme.has(option))).toEqual([]);
  });

  it('lists every file of docs/ in the README, where a reader learns what the reference holds', () => {
    const reference = /\nThe reference, in `docs\/`: ([\s\S]*?)\n\n/.exec(README);
    expect(reference, 'the README\'s "The reference, in docs/" paragraph').not.toBeNull();
    expect(DOCS.filter((file) => !reference![1]!.includes(`\`${file.slice('docs/'.length)}\``))).toEqual([]);
  });

  it('names in code spans only paths of the checkout that are there, in every file of the manual (docs/testing.md named test/bench/gc-meter)', () => {
    // The history records files since removed or renamed, on purpose.
    const current = MANUAL.filter((file) => file !== 'docs/benchmark-history.md');
    // What a command writes (the bench's results and profiles, Stryker's reports/: read as a folder of the checkout
    // once a mutation run made it), and the example provider of adding-a-provider.md.
    const notInTheCheckout = (path: string) =>
      path.startsWith('bench/results.json') || path.startsWith('bench/profiles') || path.startsWith('reports/') || /\bacme\b|acme-/.test(path);
    const folders = readdirSync(ROOT, { withFileTypes: true }).filter((entry) => entry.isDirectory() && !entry.name.startsWith('.') && entry.name !== 'node_modules' && entry.name !== 'dist').map((entry) => entry.name);
    const pathSpan = new RegExp(`\`((?:${[...folders, '\\.ci'].join('|')})/[\\w./<>-]*)\``, 'g');
    const missing: string[] = [];
    let seen = 0;
    for (const file of current) {
      for (const [, path] of read(file).matchAll(pathSpan)) {
        seen += 1;
        // `src/providers/<kind>/simulator.ts`: one per provider kind, so the first kind's must be there.
        const concrete = path!.replaceAll('<kind>', 'zomro').replace(/\/$/, '');
        if (!notInTheCheckout(concrete) && !existsSync(join(ROOT, concrete))) missing.push(`${file}: ${path}`);
      }
    }
    expect(seen).toBeGreaterThan(200);
    expect(missing).toEqual([]);
  });

  it('names in code spans of CHANGELOG.md\'s Unreleased section only paths of the checkout that are there (a test may be named without .test.ts)', () => {
    const changelog = read('CHANGELOG.md');
    const start = changelog.indexOf('\n## [Unreleased]\n');
    expect(start, 'the "## [Unreleased]" heading').toBeGreaterThan(-1);
    const next = changelog.indexOf('\n## ', start + 1);
    const unreleased = changelog.slice(start, next === -1 ? undefined : next);
    // Named on purpose as what is not there: a path the line says was wrong, and a glob.
    const namedAsAbsent = new Set(['test/bench/gc-meter', 'src/domain/**']);
    const folders = readdirSync(ROOT, { withFileTypes: true }).filter((entry) => entry.isDirectory() && !entry.name.startsWith('.') && entry.name !== 'node_modules' && entry.name !== 'dist').map((entry) => entry.name);
    const paths = [...unreleased.matchAll(new RegExp(`\`((?:${folders.join('|')})/[^\`\\s]*)\``, 'g'))].map(([, path]) => path!.replace(/\/$/, ''));
    expect(paths.length).toBeGreaterThan(100);
    const there = (path: string) => existsSync(join(ROOT, path)) || (path.startsWith('test/') && existsSync(join(ROOT, `${path}.test.ts`)));
    expect(paths.filter((path) => !namedAsAbsent.has(path) && !there(path))).toEqual([]);
  });

  it('names by a file name ending .test.ts, without its folder, only test files there, in the manual and CHANGELOG.md', () => {
    const testFiles = new Set<string>();
    const walk = (folder: string): void => {
      for (const entry of readdirSync(join(ROOT, folder), { withFileTypes: true })) {
        if (entry.isDirectory()) walk(`${folder}/${entry.name}`);
        else if (entry.name.endsWith('.test.ts')) testFiles.add(entry.name);
      }
    };
    walk('test');
    // The history records tests since renamed; adding-a-provider.md's example provider has none.
    const files = [...MANUAL, 'CHANGELOG.md'].filter((file) => file !== 'docs/benchmark-history.md');
    const named = files.flatMap((file) => [...read(file).matchAll(/`([\w.-]+\.test\.ts)`/g)].map(([, name]) => ({ file, name: name! })));
    expect(named.length).toBeGreaterThan(50);
    expect(named.filter(({ name }) => !testFiles.has(name) && !/\bacme\b|acme-/.test(name)).map(({ file, name }) => `${file}: ${name}`)).toEqual([]);
  });

  it('names in "Dependencies, and what each is for" only packages of package.json, each under dev: exactly when it is a dev dependency', () => {
    const section = README.slice(README.indexOf('\n## Dependencies, and what each is for\n'));
    const misplaced: string[] = [];
    for (const [, cell] of section.matchAll(/^\| ([^|]+) \|/gm)) {
      if (cell === 'package') continue;
      const dev = cell!.startsWith('dev: ');
      const names = Object.keys(dev ? PACKAGE.devDependencies : PACKAGE.dependencies);
      // "@graphql-codegen/*" names a scope's packages; "vitest-runner" after "@stryker-mutator/core" names @stryker-mutator/vitest-runner.
      const isPackage = (entry: string) => names.includes(entry) || (entry.endsWith('/*') && names.some((name) => name.startsWith(entry.slice(0, -1)))) || names.some((name) => name.endsWith(`/${entry}`));
      for (const entry of cell!.replace(/^dev: /, '').split(', ').map((text) => text.replace(/ \([^)]*\)$/, '').trim())) {
        if (!isPackage(entry)) misplaced.push(`${dev ? 'dev: ' : ''}${entry}`);
      }
    }
    expect(misplaced).toEqual([]);
  });

  it('says in the Providers table what each kind\'s module declares it can do, and nothing it cannot (it left out that Zomro and ZStack take a backup\'s name)', () => {
    // How the table words each capability, in its "supports" cell.
    const WORDING: Record<string, RegExp> = {
      LIST_INSTANCES: /(?:^|, )instances\b/,
      LIST_BACKUPS: /(?:^|, )backups\b/,
      CREATE_BACKUP: /(?:^|, )create\b/,
      DELETE_BACKUP: /(?:^|, )delete\b/,
      RESTORE_BACKUP: /(?:^|, )restore\b/,
      SYNC_BACKUPS: /(?:^|, )sync\b/,
      LIST_SCHEDULES: /\bschedules \((?:list|of definitions)/,
      CREATE_SCHEDULE: /\bschedules \([^)]*\bcreate\b/,
      DELETE_SCHEDULE: /\bschedules \([^)]*\bdelete\b/,
      LIST_DEFINITIONS: /\bdefinitions\b/,
      CREATE_DEFINITION: /\bdefinitions \(CRUD\)/,
      UPDATE_DEFINITION: /\bdefinitions \(CRUD\)/,
      DELETE_DEFINITION: /\bdefinitions \(CRUD\)/,
      UPDATE_BACKUP_NOTE: /\bnotes\b/,
      CANCEL_OPERATION: /\bcancel\b/,
      NAME_BACKUP: /\btakes its `name`/,
    };
    const schemaCapabilities = [.../^enum Capability \{([\s\S]*?)^\}/m.exec(readSchemaText())![1]!.matchAll(/^\s+([A-Z][A-Z_]+)$/gm)].map(([, value]) => value!);
    expect(Object.keys(WORDING).sort()).toEqual([...schemaCapabilities].sort());
    const wrong: string[] = [];
    for (const [kind, module] of Object.entries(PROVIDER_MODULES)) {
      const row = new RegExp(`^\\| ${kind.toUpperCase()} \\| ([^|]+) \\|`, 'm').exec(README);
      expect(row, `the README's Providers row of ${kind.toUpperCase()}`).not.toBeNull();
      for (const [capability, wording] of Object.entries(WORDING)) {
        const declared = (module.capabilities as ReadonlySet<string>).has(capability);
        if (declared !== wording.test(row![1]!.trim())) wrong.push(`${kind.toUpperCase()} ${declared ? 'does not say' : 'says'} ${capability}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('names, as what every provider account also takes, each key every kind takes beside id, url, kind and auth (name was left out)', () => {
    const sentence = /\nEvery provider also takes ([\s\S]*?)\.\n/.exec(README);
    expect(sentence, 'the sentence under "Configuration"').not.toBeNull();
    const named = new Set([...sentence![1]!.replace(/\([^)]*\)/g, '').matchAll(/`([a-zA-Z]+)`/g)].map(([, key]) => key!));
    expect(named).toEqual(new Set(Object.keys(providerCommonShape).filter((key) => key !== 'id' && key !== 'url')));
  });

  it('counts, where the README says what bench:scrub-worst runs, the hostile shapes bench/scrub-worst.ts builds (it said 31 of 44)', () => {
    const table = /^const shapes: Record<[^\n]*\n([\s\S]*?)^\};/m.exec(read('bench/scrub-worst.ts'));
    expect(table, "bench/scrub-worst.ts's shapes").not.toBeNull();
    const shapes = [...table![1]!.matchAll(/^ {2}'([^\n]*?)': /gm)].map(([, name]) => name!);
    const hostile = shapes.filter((name) => !name.endsWith('(baseline)'));
    expect(hostile.length).toBe(shapes.length - 1);
    const said = /npm run bench:scrub-worst +#[^\n]*hostile answer shapes \((\d+) today\)/.exec(README);
    expect(said, 'the bench:scrub-worst line under "The two commands"').not.toBeNull();
    expect(Number(said![1])).toBe(hostile.length);
  });
});
