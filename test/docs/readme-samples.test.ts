import { readFileSync, readdirSync } from 'node:fs';
import { parse, print } from 'graphql';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/config-error.js';
import { loadConfigObject } from '../../src/config/load.js';
import { DASHBOARD_QUERY, PROTECTION_QUERY } from '../../src/server/graphiql.js';

/**
 * The README's samples of what a command prints are what a person sees when running it:
 * npm's own lines where the command runs through npm without `--silent`, and a problem
 * list the loader really reports.
 */
const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
/** The README's long-form detail, moved to docs/ (2026-12-05). */
const CONFIGURATION = readFileSync(new URL('../../docs/configuration.md', import.meta.url), 'utf8');
const TESTING = readFileSync(new URL('../../docs/testing.md', import.meta.url), 'utf8');
const PACKAGE = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  name: string;
  version: string;
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

/** The lines of the plain ``` block of `markdown` whose first line is `firstLine`. */
function sampleStartingWith(firstLine: string, markdown = README): string[] {
  const start = markdown.indexOf(`\n\`\`\`\n${firstLine}\n`);
  if (start < 0) throw new Error(`no sample starting "${firstLine}"`);
  const body = markdown.slice(start + '\n```\n'.length);
  return body.slice(0, body.indexOf('\n```')).split('\n');
}

/** The first ```yaml block after the line starting with `heading`. */
function yamlAfter(heading: string): string {
  const start = README.indexOf(`\n${heading}`);
  const match = /\n```yaml\n([\s\S]*?)\n```/.exec(README.slice(start));
  if (start < 0 || !match) throw new Error(`no yaml block after "${heading}"`);
  return match[1]!;
}

describe('README command samples', () => {
  it('shows npm start with the lines npm prints before the banner: this package, its prestart and start scripts', () => {
    const sample = sampleStartingWith('$ npm start');
    const npmLines = sample.filter((line) => line.startsWith('> '));
    const id = `${PACKAGE.name}@${PACKAGE.version}`;
    expect(npmLines).toEqual([`> ${id} prestart`, `> ${PACKAGE.scripts.prestart}`, `> ${id} start`, `> ${PACKAGE.scripts.start}`]);
    expect(sample.at(-1)).toMatch(/^\[[\d-]+ [\d:.]+\] INFO: Backup Graph DEMO MODE .*; GraphiQL: http:\/\/127\.0\.0\.1:4000\/graphql; Simulators: zomro http/);
  });

  it('names, as what makes npm start rebuild dist/, the inputs scripts/build.mjs --if-stale compares with the last build', () => {
    const build = readFileSync(new URL('../../scripts/build.mjs', import.meta.url), 'utf8');
    const list = /const inputs = \[([^\]]*)\]/.exec(build);
    expect(list, 'the inputs list of scripts/build.mjs').not.toBeNull();
    const inputs = new Set([...list![1]!.matchAll(/'([^']+)'/g)].map(([, name]) => name));
    const sentence = /it rebuilds first when anything under ([\s\S]*?) is newer than the\s+last build/.exec(README);
    expect(sentence, 'the sentence under "The two commands"').not.toBeNull();
    expect(new Set([...sentence![1]!.matchAll(/`([^`]+)`/g)].map(([, name]) => name!.replace(/\/$/, '')))).toEqual(inputs);
  });

  it('names every folder of src/ in "Architecture", where a newcomer learns the layout', () => {
    const section = README.slice(README.indexOf('\n## Architecture\n'), README.indexOf('\n## Running in production\n'));
    const folders = readdirSync(new URL('../../src/', import.meta.url), { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name);
    expect(folders.length).toBeGreaterThan(5);
    expect(folders.filter((folder) => !section.includes(`\`src/${folder}\``) && !section.includes(`\`src/${folder}/`))).toEqual([]);
  });

  it('says in "Dependencies, and what each is for" what every package of package.json is for (@types/* aside)', () => {
    const section = README.slice(README.indexOf('\n## Dependencies, and what each is for\n'));
    // A row's first cell: "dev: typescript (6), @stryker-mutator/core, vitest-runner" names @stryker-mutator/vitest-runner too.
    const named = [...section.matchAll(/^\| ([^|]+) \|/gm)].flatMap(([, cell]) =>
      cell!.replace(/^dev: /, '').split(', ').map((entry) => entry.replace(/ \([^)]*\)$/, '').trim()),
    );
    const isNamed = (name: string) => named.some((entry) => entry === name || (entry.endsWith('/*') && name.startsWith(entry.slice(0, -1))) || name.endsWith(`/${entry}`));
    const packages = [...Object.keys(PACKAGE.dependencies), ...Object.keys(PACKAGE.devDependencies)].filter((name) => !name.startsWith('@types/'));
    expect(packages.length).toBeGreaterThan(20);
    expect(packages.filter((name) => !isNamed(name))).toEqual([]);
  });

  it('names, as the variables backup-graph.example.yaml needs set, the ones it names', () => {
    // its comment lines mention `${NAME}` as the syntax, not as a variable it needs
    const example = readFileSync(new URL('../../backup-graph.example.yaml', import.meta.url), 'utf8')
      .split('\n')
      .filter((line) => !line.trimStart().startsWith('#'))
      .join('\n');
    const named = new Set([...example.matchAll(/\$\{([A-Z][A-Z0-9_]*)\}/g)].map(([, name]) => name));
    const sentence = /As it stands it names \w+\s+variables \(([^)]*)\)/.exec(README);
    expect(sentence, 'the sentence under "Configuration"').not.toBeNull();
    expect(new Set([...sentence![1]!.matchAll(/`([A-Z0-9_]+)`/g)].map(([, name]) => name))).toEqual(named);
  });

  it('shows --check-config run without npm lines (--silent), listing the problems the loader reports for the short example broken that way', () => {
    const [command, ...problems] = sampleStartingWith('$ npm start --silent -- --check-config backup-graph.yaml', CONFIGURATION);
    expect(command).toBe('$ npm start --silent -- --check-config backup-graph.yaml');

    // The short example (Configuration), with the sample's faults: the Zomro session unset, a
    // key's case wrong, a key no provider has, ZStack's storage left out, an id used twice.
    const short = parseYaml(yamlAfter('A short example:')) as { providers: Array<Record<string, unknown>> };
    const [zomro, onapp, zstack, danube] = short.providers;
    const { backupStorageUuid: _left, ...zstackWithout } = zstack!;
    const broken = { ...short, providers: [{ ...zomro, timeoutMS: 5000 }, { ...onapp, id: 'zomro-nl', colour: 'red' }, zstackWithout, danube] };
    const env = { DASHBOARD_KEY: 'dashboard-key-0123456789', OPS_KEY: 'ops-key-0123456789abcdef', ONAPP_API_KEY: 'onapp-key-0123', ZSTACK_PASSWORD: 'zstack-password-0123', DANUBE_API_KEY: 'danube-key-0123' };

    let reported: string[] = [];
    try {
      loadConfigObject(broken, env);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      reported = error.problems;
    }
    expect(problems).toEqual(reported);
  });

  it('lists, where it says what errors carry, exactly the codes of the schema\'s ErrorCode enum', () => {
    const sentence = /Errors carry `extensions\.code`, one of ([\s\S]*?)\. `extensions\.provider`/.exec(README);
    expect(sentence, 'the sentence under "Example queries"').not.toBeNull();
    const listed = [...sentence![1]!.matchAll(/`([A-Z][A-Z_]+)`/g)].map(([, code]) => code);
    const schema = readFileSync(new URL('../../schema.graphql', import.meta.url), 'utf8');
    const enumBody = /^enum ErrorCode \{([\s\S]*?)^\}/m.exec(schema)![1]!;
    const codes = [...enumBody.matchAll(/^\s+([A-Z][A-Z_]+)$/gm)].map(([, code]) => code);
    expect(codes.length).toBeGreaterThan(10);
    expect(listed).toEqual(codes);
  });

  it('defines the words a newcomer meets undefined (account, global id, principal, DataLoader, breaker) in "Words", before any other use', () => {
    const words = /\n\*\*Words\.\*\* [\s\S]*?\n\n/.exec(README);
    expect(words, 'the "Words" paragraph').not.toBeNull();
    for (const word of ['account', 'global id', 'principal', 'DataLoader', 'breaker']) {
      const first = README.search(new RegExp(`\\b${word}`, 'i'));
      expect(first, word).toBeGreaterThanOrEqual(words!.index);
      expect(words![0], word).toMatch(new RegExp(`\\*${word}\\*`, 'i'));
    }
    // The provider's work (`Operation`) and a GraphQL document's operations share a word, and a
    // newcomer met both in one step (a block of two operations that starts an operation).
    // "operations.md" names it before "Words", so only the definition is checked.
    expect(words![0], 'operation').toMatch(/\*operation\*/);
  });

  it('lists every section in its Contents line, in order, each linked by the anchor GitHub gives its heading', () => {
    const contents = /^Contents: (.*)$/m.exec(README);
    expect(contents, 'the Contents line under the introduction').not.toBeNull();
    const listed = [...contents![1]!.matchAll(/\[([^\]]+)\]\((#[^)]+)\)/g)].map(([, title, anchor]) => [title, anchor]);
    // GitHub's anchor: lower case, punctuation other than - dropped, spaces as -.
    const headings = [...README.matchAll(/^## (.+)$/gm)].map(([, title]) => [title, `#${title!.toLowerCase().replace(/[^\w\- ]/g, '').replaceAll(' ', '-')}`]);
    expect(listed).toEqual(headings);
  });

  it('names every folder of test/ in docs/testing.md\'s bullets, where a contributor looks for what a folder checks', () => {
    const section = TESTING.slice(TESTING.indexOf('\n## The test folders\n'), TESTING.indexOf('\n## Mutation testing\n'));
    expect(section.length, 'docs/testing.md, "The test folders", before "Mutation testing"').toBeGreaterThan(100);
    const bullets = section.split('\n').filter((line) => line.startsWith('- ')).join('\n');
    // helpers/ is the prose's (harness.ts), fixtures/ holds data the tests read.
    const folders = readdirSync(new URL('../', import.meta.url), { withFileTypes: true }).filter((entry) => entry.isDirectory() && !['helpers', 'fixtures'].includes(entry.name));
    expect(folders.length).toBeGreaterThan(10);
    expect(folders.map((folder) => `test/${folder.name}/`).filter((folder) => !bullets.includes(`\`${folder}\``))).toEqual([]);
  });

  it('shows the queries GraphiQL preloads as GraphiQL has them (the README says where they live)', () => {
    for (const [name, preloaded] of [['Dashboard', DASHBOARD_QUERY], ['Protection', PROTECTION_QUERY]] as const) {
      const block = new RegExp(`\n\`\`\`graphql\n(query ${name} \\{[\\s\\S]*?)\n\`\`\``).exec(README);
      expect(block, `the README's query ${name}`).not.toBeNull();
      expect(print(parse(block![1]!)), name).toBe(print(parse(preloaded)));
    }
  });
});
