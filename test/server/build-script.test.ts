import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sourceDigest } from '../../scripts/source-digest.mjs';

/**
 * scripts/build.mjs run as npm's prestart runs it (`--if-stale`), in a project of one
 * source file beside this repository's scripts, tsconfigs and node_modules: the real
 * tsc and esbuild, in a second or two rather than the gateway's half a minute.
 */
function tinyProject(): string {
  const dir = mkdtempSync(join(tmpdir(), 'build-script-'));
  mkdirSync(join(dir, 'scripts'));
  for (const file of ['build.mjs', 'build-lock.mjs', 'bundle-options.mjs', 'graphql-once.mjs', 'bundled-schema.mjs', 'source-digest.mjs']) copyFileSync(resolve('scripts', file), join(dir, 'scripts', file));
  for (const file of ['tsconfig.json', 'tsconfig.build.json']) copyFileSync(resolve(file), join(dir, file));
  symlinkSync(resolve('node_modules'), join(dir, 'node_modules'), 'dir');
  mkdirSync(join(dir, 'src'));
  writeFileSync(join(dir, 'src', 'main.ts'), 'export const answer: number = 42;\n');
  return dir;
}

const prestart = (dir: string) => spawnSync(process.execPath, ['scripts/build.mjs', '--if-stale'], { cwd: dir, encoding: 'utf8' });

describe('scripts/build.mjs --if-stale (npm start\'s prestart)', () => {
  let dir = '';
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('says on stderr that it builds, and why, when it builds (a first `npm start` is otherwise half a minute of nothing), and nothing on stdout', () => {
    dir = tinyProject();
    const first = prestart(dir);
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toBe('');
    expect(first.stderr).toMatch(/^building dist\/ \(no build yet\): tsc type check, then esbuild bundle\nbuilt dist\/ in \d+\.\d s\n$/);

    // A source newer than the build: built again, saying why.
    const later = new Date(Date.now() + 5_000);
    utimesSync(join(dir, 'src', 'main.ts'), later, later);
    const again = prestart(dir);
    expect(again.status, again.stderr).toBe(0);
    expect(again.stderr).toMatch(/^building dist\/ \(a source is newer than the last build\): /);
  });

  it('builds again when only the build\'s own options changed (scripts/bundle-options.mjs), not a source', () => {
    dir = tinyProject();
    expect(prestart(dir).status).toBe(0);
    const later = new Date(Date.now() + 5_000);
    utimesSync(join(dir, 'scripts', 'bundle-options.mjs'), later, later);
    const again = prestart(dir);
    expect(again.status, again.stderr).toBe(0);
    expect(again.stderr).toMatch(/^building dist\/ \(a source is newer than the last build\): /);
  });

  it('is silent when dist/ is up to date, as the README\'s npm start sample shows', () => {
    dir = tinyProject();
    expect(prestart(dir).status).toBe(0);
    const fresh = prestart(dir);
    expect(fresh.status).toBe(0);
    expect(fresh.stdout + fresh.stderr).toBe('');
  });
  it('runs the dist/ there is, saying why, when a source is newer but the checkout is not the starting user\'s to write (it threw EACCES on .build.lock with a stack)', () => {
    dir = tinyProject();
    expect(prestart(dir).status).toBe(0);
    const later = new Date(Date.now() + 5_000);
    utimesSync(join(dir, 'src', 'main.ts'), later, later);
    // Readable and enterable by all, writable by its owner alone; 65534 is nobody (root writes whatever the mode).
    chmodSync(dir, 0o755);
    const unprivileged = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
    const asAnother = spawnSync(process.execPath, ['scripts/build.mjs', '--if-stale'], { cwd: dir, encoding: 'utf8', ...unprivileged });
    expect(asAnother.error).toBeUndefined();
    expect(asAnother.stderr).toBe(
      `warning: dist/ may be older than src/, and ${dir} is not this user's to write (EACCES), so it cannot be built here: run \`npm run build\` as the checkout's owner; starting the dist/ there is\n`,
    );
    expect(asAnother.status).toBe(0);

    // No dist/ at all: nothing to start, exit 1 with the same reason.
    rmSync(join(dir, 'dist'), { recursive: true, force: true });
    const unbuilt = spawnSync(process.execPath, ['scripts/build.mjs', '--if-stale'], { cwd: dir, encoding: 'utf8', ...unprivileged });
    expect(unbuilt.stderr).toBe(`${dir} is not this user's to write (EACCES), so dist/ cannot be built here: run \`npm run build\` as the checkout's owner\n`);
    expect(unbuilt.status).toBe(1);
  });
});

describe('scripts/build.mjs interrupted (Ctrl-C while it says "building dist/")', () => {
  let dir = '';
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('leaves the last good dist/ in place, so the next start does not rebuild it from nothing as "(no build yet)"', async () => {
    dir = tinyProject();
    expect(prestart(dir).status).toBe(0);
    const built = readFileSync(join(dir, 'dist', 'main.js'), 'utf8');
    // The bundle step held open: a plugin says when esbuild has begun and never finishes loading,
    // so the signal lands at a known point of the build, after the type check.
    writeFileSync(
      join(dir, 'scripts', 'bundle-options.mjs'),
      [
        "import { bundleOptions as real } from './bundle-options.real.mjs';",
        "const holdOpen = { name: 'hold-open', setup(build) { build.onLoad({ filter: /main\\.ts$/ }, () => { process.stderr.write('bundling\\n'); return new Promise(() => {}); }); } };",
        'export const bundleOptions = { ...real, plugins: [...real.plugins, holdOpen] };',
        '',
      ].join('\n'),
    );
    copyFileSync(resolve('scripts', 'bundle-options.mjs'), join(dir, 'scripts', 'bundle-options.real.mjs'));
    const later = new Date(Date.now() + 5_000);
    utimesSync(join(dir, 'src', 'main.ts'), later, later);

    const building = spawn(process.execPath, ['scripts/build.mjs', '--if-stale'], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    const exited = new Promise<void>((done) => building.on('exit', () => done()));
    await new Promise<void>((bundling, failed) => {
      building.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        if (stderr.includes('bundling\n')) bundling();
      });
      building.on('exit', () => failed(new Error(`the build ended before bundling: ${stderr}`)));
    });
    building.kill('SIGINT');
    await exited;

    expect(existsSync(join(dir, 'dist', 'main.js')), stderr).toBe(true);
    expect(readFileSync(join(dir, 'dist', 'main.js'), 'utf8')).toBe(built);
    expect(existsSync(join(dir, 'dist', '.build-stamp'))).toBe(true);
  });
});

describe('scripts/build.mjs stopped as it swaps dist.building/ in (two renames: dist/ -> dist.previous/, dist.building/ -> dist/)', () => {
  let dir = '';
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** The tiny project with package.json's own prestart and start, so `npm start` runs as it does here. */
  function startableProject(): string {
    const project = tinyProject();
    const { scripts } = JSON.parse(readFileSync(resolve('package.json'), 'utf8')) as { scripts: Record<string, string> };
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'tiny', private: true, type: 'module', scripts: { prestart: scripts.prestart, start: scripts.start } }));
    return project;
  }
  const writeMain = (project: string, says: string) => {
    writeFileSync(join(project, 'src', 'main.ts'), `process.stdout.write('${says}\\n');\n`);
    // Newer than the last build whatever the file system clock's grain, older than the next one.
    const stamp = join(project, 'dist', '.build-stamp');
    if (!existsSync(stamp)) return;
    const justAfter = (statSync(stamp).mtimeMs + 1) / 1000;
    utimesSync(join(project, 'src', 'main.ts'), justAfter, justAfter);
  };
  const KILL = "process.kill(process.pid, 'SIGKILL');";
  const npmStart = (project: string) => spawnSync('npm', ['start', '--silent'], { cwd: project, encoding: 'utf8' });

  /**
   * The build killed (SIGKILL: no exit handler runs, as with a Ctrl-C or the OOM killer) just before
   * or just after `statement` of its swap: the kill is planted in a copy of build.mjs beside it, so it lands there
   * every run. The copy stays: written before this build, it leaves the build's stamp the newer.
   */
  function buildKilled(project: string, where: 'before' | 'after', statement: string): void {
    const text = readFileSync(resolve('scripts', 'build.mjs'), 'utf8');
    expect(text.split('\n').filter((line) => line === statement), `build.mjs has the line ${statement}`).toHaveLength(1);
    writeFileSync(join(project, 'scripts', 'build-killed.mjs'), text.replace(`\n${statement}\n`, where === 'before' ? `\n${KILL}\n${statement}\n` : `\n${statement}\n${KILL}\n`));
    const killed = spawnSync(process.execPath, ['scripts/build-killed.mjs'], { cwd: project, encoding: 'utf8' });
    expect(killed.signal, killed.stderr).toBe('SIGKILL');
  }

  it('between the renames (no dist/ on disk): npm start puts the new, whole build back as dist/ and starts it, building nothing', () => {
    dir = startableProject();
    writeMain(dir, 'built 1');
    expect(prestart(dir).status).toBe(0);
    writeMain(dir, 'built 2');
    buildKilled(dir, 'before', 'renameSync(staging, dist);');
    expect(existsSync(join(dir, 'dist'))).toBe(false);

    const started = npmStart(dir);
    expect(started.stderr).toBe('restored dist/ from dist.building/, left by a build stopped as it swapped dist/ in\n');
    expect(started.stdout).toBe('built 2\n');
    expect(started.status).toBe(0);
    expect(existsSync(join(dir, 'dist.building'))).toBe(false);
    expect(existsSync(join(dir, 'dist.previous'))).toBe(false);
  });

  it('between the renames of a first build (no dist/ before it): npm start starts that build, building nothing', () => {
    dir = startableProject();
    writeMain(dir, 'built 1');
    buildKilled(dir, 'before', 'renameSync(staging, dist);');
    const started = npmStart(dir);
    expect(started.stderr).toBe('restored dist/ from dist.building/, left by a build stopped as it swapped dist/ in\n');
    expect(started.stdout).toBe('built 1\n');
    expect(started.status).toBe(0);
  });

  it('between the renames, with no compiler installed (npm ci --omit=dev, dist/ built elsewhere): npm start still starts the build, where it had none to start', () => {
    dir = startableProject();
    writeMain(dir, 'built 1');
    expect(prestart(dir).status).toBe(0);
    writeMain(dir, 'built 2');
    buildKilled(dir, 'before', 'renameSync(staging, dist);');
    // node_modules without typescript or esbuild: all this tiny main.js needs is node.
    rmSync(join(dir, 'node_modules'));
    mkdirSync(join(dir, 'node_modules'));

    const started = npmStart(dir);
    expect(started.stderr).toBe('restored dist/ from dist.building/, left by a build stopped as it swapped dist/ in\n');
    expect(started.stdout).toBe('built 2\n');
    expect(started.status).toBe(0);
  });

  it('guards the other windows: stopped before the first rename or after the second, npm start builds if stale and starts the new build', () => {
    const windows = [['before', 'if (existsSync(dist)) renameSync(dist, previous);'], ['after', 'renameSync(staging, dist);']] as const;
    for (const [where, statement] of windows) {
      dir = startableProject();
      writeMain(dir, 'built 1');
      expect(prestart(dir).status).toBe(0);
      writeMain(dir, 'built 2');
      buildKilled(dir, where, statement);
      expect(existsSync(join(dir, 'dist', 'main.js')), statement).toBe(true);
      const started = npmStart(dir);
      expect(started.stderr, statement).not.toMatch(/no build yet/);
      expect(started.stdout, statement).toBe('built 2\n');
      expect(started.status, statement).toBe(0);
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('with only the last build whole (dist.previous/, a dist.building/ without its .build-stamp): npm run build puts the last build back before anything else, then builds', () => {
    dir = startableProject();
    writeMain(dir, 'built 1');
    expect(prestart(dir).status).toBe(0);
    renameSync(join(dir, 'dist'), join(dir, 'dist.previous'));
    mkdirSync(join(dir, 'dist.building'));
    writeFileSync(join(dir, 'dist.building', 'main.js'), 'half a bundle');
    // A type error: the build stops at its type check, so what is left is what the restore put there.
    writeFileSync(join(dir, 'src', 'main.ts'), 'export const answer: number = "not a number";\n');

    const built = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: dir, encoding: 'utf8' });
    expect(built.stderr).toMatch(/^restored dist\/ from dist\.previous\/, left by a build stopped as it swapped dist\/ in\nbuilding dist\/: /);
    expect(built.status).not.toBe(0);
    expect(spawnSync(process.execPath, ['dist/main.js'], { cwd: dir, encoding: 'utf8' }).stdout).toBe('built 1\n');
    expect(existsSync(join(dir, 'dist.building'))).toBe(false);
  });
});

describe('the build id npm run build writes into the bundle (src/build-id.ts)', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  /** A tiny project whose main.ts prints its build id and imports mapper.ts. */
  function projectPrintingItsId(lineEnd = '\n'): string {
    const dir = tinyProject();
    dirs.push(dir);
    copyFileSync(resolve('src', 'build-id.ts'), join(dir, 'src', 'build-id.ts'));
    writeFileSync(join(dir, 'src', 'main.ts'), ["import { BUILD_ID } from './build-id.js';", "import { readsDatesAs } from './mapper.js';", 'process.stdout.write(`${BUILD_ID} ${readsDatesAs}`);', ''].join(lineEnd));
    writeFileSync(join(dir, 'src', 'mapper.ts'), `export const readsDatesAs: string = 'UTC';${lineEnd}`);
    writeFileSync(join(dir, 'package-lock.json'), ['{', '  "name": "tiny",', '  "lockfileVersion": 3', '}', ''].join(lineEnd));
    return dir;
  }
  const builtId = (dir: string): string => {
    const built = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: dir, encoding: 'utf8' });
    expect(built.status, built.stderr).toBe(0);
    const [id] = spawnSync(process.execPath, ['dist/main.js'], { cwd: dir, encoding: 'utf8' }).stdout.split(' ');
    return id ?? '';
  };
  const bundledInputs = (dir: string): string[] => Object.keys((JSON.parse(readFileSync(join(dir, 'dist', 'meta.json'), 'utf8')) as { inputs: Record<string, unknown> }).inputs);

  it('is the digest of the files the bundle was built from, and changes with one of them', () => {
    const dir = projectPrintingItsId();
    const first = builtId(dir);
    expect(first).toMatch(/^[0-9a-f]{12}$/);
    expect(first).toBe(sourceDigest(dir, bundledInputs(dir)));

    writeFileSync(join(dir, 'src', 'mapper.ts'), "export const readsDatesAs: string = 'Europe/Amsterdam';\n");
    const second = builtId(dir);
    expect(second).toBe(sourceDigest(dir, bundledInputs(dir)));
    expect(second).not.toBe(first);

    writeFileSync(join(dir, 'package-lock.json'), '{ "name": "tiny", "lockfileVersion": 3, "packages": {} }\n');
    expect(builtId(dir)).not.toBe(second);
  });

  /** A tiny project whose main.ts prints its build id and the schema it serves (src/graphql/schema-file.ts, as the gateway reads it). */
  function projectServingASchema(): string {
    const dir = projectPrintingItsId();
    mkdirSync(join(dir, 'src', 'graphql'));
    copyFileSync(resolve('src', 'graphql', 'schema-file.ts'), join(dir, 'src', 'graphql', 'schema-file.ts'));
    // An ES module, as the gateway's package.json says: schema-file.ts reads import.meta.
    writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
    writeFileSync(join(dir, 'src', 'main.ts'), ["import { BUILD_ID } from './build-id.js';", "import { readSchemaText } from './graphql/schema-file.js';", 'process.stdout.write(`${BUILD_ID} ${readSchemaText()}`);', ''].join('\n'));
    writeFileSync(join(dir, 'schema.graphql'), 'type Query { instances: [String!]! }\n');
    return dir;
  }
  const served = (dir: string): string => spawnSync(process.execPath, ['dist/main.js'], { cwd: dir, encoding: 'utf8' }).stdout;

  it('changes with schema.graphql alone, which the bundle carries: a schema change is a new build (its read cache apart, its own build_info)', () => {
    const dir = projectServingASchema();
    const first = builtId(dir);
    writeFileSync(join(dir, 'schema.graphql'), 'type Query { instances: [String!]! backups: [String!]! }\n');
    const second = builtId(dir);
    expect(second).toMatch(/^[0-9a-f]{12}$/);
    expect(second).not.toBe(first);
    // npm start's prestart check builds again after an edit to the schema alone, as after one to src/.
    const later = new Date(Date.now() + 5_000);
    writeFileSync(join(dir, 'schema.graphql'), 'type Query { instances: [String!]! }\n');
    utimesSync(join(dir, 'schema.graphql'), later, later);
    const rebuilt = prestart(dir);
    expect(rebuilt.status, rebuilt.stderr).toBe(0);
    expect(rebuilt.stderr).toMatch(/^building dist\/ \(a source is newer than the last build\): /);
    expect(served(dir)).toBe(`${first} type Query { instances: [String!]! }\n`);
  });

  it('serves the schema it was built from, whatever schema.graphql lies beside dist/ when it starts (or none)', () => {
    const dir = projectServingASchema();
    const id = builtId(dir);
    writeFileSync(join(dir, 'schema.graphql'), 'type Query { other: Int }\n');
    expect(served(dir)).toBe(`${id} type Query { instances: [String!]! }\n`);
    rmSync(join(dir, 'schema.graphql'));
    expect(served(dir)).toBe(`${id} type Query { instances: [String!]! }\n`);
  });

  it('stays the same with a file under src/ that nothing imports (untracked, a leftover)', () => {
    const dir = projectPrintingItsId();
    const first = builtId(dir);
    writeFileSync(join(dir, 'src', 'scratch.ts'), 'export const notImported: number = 1;\n');
    expect(builtId(dir)).toBe(first);
  });

  it('is one id for one tree checked out in two places, line endings LF or CRLF', () => {
    const here = projectPrintingItsId('\n');
    const there = projectPrintingItsId('\r\n');
    expect(builtId(there)).toBe(builtId(here));
  });
});

describe('sourceDigest (scripts/source-digest.mjs)', () => {
  let dir = '';
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads the project\'s own inputs only: node_modules, files outside it and esbuild\'s namespaced inputs left out, order and repeats aside', () => {
    dir = mkdtempSync(join(tmpdir(), 'source-digest-'));
    mkdirSync(join(dir, 'src'));
    mkdirSync(join(dir, 'node_modules', 'dep'), { recursive: true });
    writeFileSync(join(dir, 'src', 'main.ts'), 'export {};\n');
    writeFileSync(join(dir, 'src', 'mapper.ts'), 'export {};\n');
    writeFileSync(join(dir, 'node_modules', 'dep', 'index.js'), 'module.exports = 1;\n');
    const own = sourceDigest(dir, ['src/main.ts', 'src/mapper.ts']);
    expect(sourceDigest(dir, ['src/mapper.ts', 'node_modules/dep/index.js', 'src/main.ts', '../elsewhere/node_modules/x.js', '(disabled):src/gone.ts', 'src/main.ts'])).toBe(own);
    expect(sourceDigest(dir, ['src/main.ts'])).not.toBe(own);
  });
});
