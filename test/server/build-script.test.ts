import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
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
  for (const file of ['build.mjs', 'build-lock.mjs', 'bundle-options.mjs', 'source-digest.mjs']) copyFileSync(resolve('scripts', file), join(dir, 'scripts', file));
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

  it('is silent when dist/ is up to date, as the README\'s npm start sample shows', () => {
    dir = tinyProject();
    expect(prestart(dir).status).toBe(0);
    const fresh = prestart(dir);
    expect(fresh.status).toBe(0);
    expect(fresh.stdout + fresh.stderr).toBe('');
  });
});

describe('the build id npm run build writes into the bundle (src/build-id.ts)', () => {
  let dir = '';
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('is the digest of the sources it was built from, and changes with them', () => {
    dir = tinyProject();
    copyFileSync(resolve('src', 'build-id.ts'), join(dir, 'src', 'build-id.ts'));
    writeFileSync(join(dir, 'src', 'main.ts'), "import { BUILD_ID } from './build-id.js';\nprocess.stdout.write(BUILD_ID);\n");
    const builtId = () => {
      const built = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: dir, encoding: 'utf8' });
      expect(built.status, built.stderr).toBe(0);
      return spawnSync(process.execPath, ['dist/main.js'], { cwd: dir, encoding: 'utf8' }).stdout;
    };
    const first = builtId();
    expect(first).toMatch(/^[0-9a-f]{12}$/);
    expect(first).toBe(sourceDigest(dir));

    writeFileSync(join(dir, 'src', 'mapper.ts'), 'export const readsDatesAs = "UTC";\n');
    const second = builtId();
    expect(second).toBe(sourceDigest(dir));
    expect(second).not.toBe(first);
  });
});
