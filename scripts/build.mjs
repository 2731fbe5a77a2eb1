// `npm run build` type-checks src/ with tsc, then bundles src/main.ts with
// esbuild into dist/main.js, with each dynamic import() a chunk of its own
// under dist/chunks/ (demo simulators, Redis, GraphiQL stay out of the start).
// One bundle starts in about half the time of ~700 files from dist/ and
// node_modules: no per-file resolution, stat and package.json lookups.
// dist/meta.json (esbuild's metafile) says which sources each chunk holds and
// what it imports; test/server/cli.test.ts checks the production graph with it.
// `--if-stale` (npm's prepare and prestart hooks) builds only when a source is
// newer than the last build, so `npm ci && npm start` works on a fresh clone and
// `npm start` after an edit runs the edit, at the cost of a directory walk.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { takeBuildLock } from './build-lock.mjs';
import { bundledSchemaDefine } from './bundled-schema.mjs';
import { buildIdDefine, sourceDigest } from './source-digest.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const stamp = join(dist, '.build-stamp');
// The new build is written beside dist/ and takes its place in one rename at the end: Ctrl-C on
// `npm start` while it built deleted dist/, and the next start rebuilt from nothing ("no build yet").
const staging = join(root, 'dist.building');
const previous = join(root, 'dist.previous');
const ifStale = process.argv.includes('--if-stale');

function newestSource(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((newest, name) => Math.max(newest, newestSource(join(path, name))), stat.mtimeMs);
}

function stale() {
  if (!existsSync(stamp)) return true;
  // schema.graphql too: the bundle carries it (bundled-schema.mjs), so an edit to it alone needs a build.
  // scripts/ too: the bundle's options and stubs (bundle-options.mjs, bundle-stubs/) shape dist/ as much as a source.
  const inputs = ['src', 'schema.graphql', 'scripts', 'tsconfig.json', 'tsconfig.build.json', 'package-lock.json'].map((name) => join(root, name)).filter(existsSync);
  return Math.max(...inputs.map(newestSource)) > statSync(stamp).mtimeMs;
}

/**
 * The build swaps itself in by two renames (dist/ -> dist.previous/, dist.building/ -> dist/, at
 * the end): an interrupt between them left no dist/, and the next start rebuilt from nothing, or,
 * with no compiler installed (npm ci --omit=dev), had nothing to start. Before
 * anything else reads dist/ (under the lock: no other build is mid-swap), a missing dist/ is put
 * back from the newest whole build there is: dist.building/ once its .build-stamp, written last, is
 * in it, else dist.previous/. Each is one rename, so an interrupt here leaves one or the other.
 */
function restoreInterruptedSwap() {
  if (existsSync(dist)) return;
  const whole = [existsSync(join(staging, '.build-stamp')) && staging, existsSync(previous) && previous].find(Boolean);
  if (!whole) return;
  renameSync(whole, dist);
  rmSync(staging, { recursive: true, force: true });
  rmSync(previous, { recursive: true, force: true });
  process.stderr.write(`restored dist/ from ${relative(root, whole)}/, left by a build stopped as it swapped dist/ in\n`);
}

// A Docker layer that installs dependencies before copying the source has nothing to build.
if (!existsSync(join(root, 'src'))) process.exit(0);
if (ifStale && !stale()) process.exit(0);
// One build at a time (see build-lock.mjs); one that waited finds dist/ built, unless a source changed meanwhile.
try {
  takeBuildLock(join(root, '.build.lock'), (holder) => process.stderr.write(`waiting for another build of dist/ (pid ${holder}) to finish\n`));
} catch (error) {
  // `npm start` as a service user in a checkout another user built (or on a read-only file
  // system): the lock's EACCES came out as a stack trace, with the dist/ there left unstarted.
  if (!['EACCES', 'EPERM', 'EROFS'].includes(error.code)) throw error;
  const cannot = `${root} is not this user's to write (${error.code})`;
  const fix = "run `npm run build` as the checkout's owner";
  if (ifStale && existsSync(join(dist, 'main.js'))) {
    process.stderr.write(`warning: dist/ may be older than src/, and ${cannot}, so it cannot be built here: ${fix}; starting the dist/ there is\n`);
    process.exit(0);
  }
  process.stderr.write(`${cannot}, so dist/ cannot be built here: ${fix}\n`);
  process.exit(1);
}
restoreInterruptedSwap();
if (ifStale && !stale()) process.exit(0);

// The fast compiler (typescript 7, installed as typescript-go beside typescript 6, which
// Stryker's checker needs for its API) when present, else typescript. A package's exports
// map may hide bin/tsc; its package.json is exported and sits beside it.
const installedAt = (name) => {
  try {
    return dirname(createRequire(import.meta.url).resolve(`${name}/package.json`));
  } catch {
    return null;
  }
};
const compiler = installedAt('typescript-go') ?? installedAt('typescript');
const tsc = compiler && join(compiler, 'bin', 'tsc');
if (!tsc || !installedAt('esbuild')) {
  // A production install (--omit=dev) has no compiler: it runs a dist/ built elsewhere.
  const message = 'typescript or esbuild is not installed (npm ci --omit=dev?): cannot build dist/; run `npm ci && npm run build` where dev dependencies are installed';
  if (ifStale && existsSync(join(dist, 'main.js'))) {
    process.stderr.write(`warning: dist/ may be older than src/. ${message}\n`);
    process.exit(0);
  }
  process.stderr.write(`${message}\n`);
  process.exit(ifStale && process.env.npm_lifecycle_event === 'prepare' ? 0 : 1);
}

// A first `npm start` builds for half a minute on two cores: without a word it looks hung.
// stderr, as the lock's wait: `npm start -- --simulators > sims.yaml` keeps stdout for the config.
const began = Date.now();
const why = !ifStale ? '' : existsSync(stamp) ? ' (a source is newer than the last build)' : ' (no build yet)';
process.stderr.write(`building dist/${why}: tsc type check, then esbuild bundle\n`);
const checked = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json'), '--noEmit'], { stdio: 'inherit', cwd: root });
if (checked.status !== 0) process.exit(checked.status ?? 1);

// A clean build: a source deleted since the last one must not live on in dist/. The leftovers of
// an interrupted build go too (the lock is ours: no other build is writing them).
rmSync(staging, { recursive: true, force: true });
rmSync(previous, { recursive: true, force: true });
const { build } = await import('esbuild');
const { bundleOptions } = await import('./bundle-options.mjs');
const options = {
  ...bundleOptions,
  entryPoints: { main: join(root, 'src', 'main.ts') },
  outdir: dist,
  // Metafile paths relative to the project wherever the build is run from: they are the build id's.
  absWorkingDir: root,
};
// The build id (src/build-id.ts; the read cache files its entries under it, /metrics shows it) is
// the digest of the files the bundle is made from, which esbuild names only once it has read them.
// So the bundle is made in memory with a stand-in of the id's length (the source maps' columns stay
// true), and the id takes its place as the files are written: one pass, where a second one to list
// the inputs first cost 3-5 s.
const STAND_IN = 'build-id-tbd';
const result = await build({ ...options, write: false, define: { ...buildIdDefine(STAND_IN), ...bundledSchemaDefine(root) } });
const buildId = sourceDigest(root, Object.keys(result.metafile.inputs));
let filledIn = 0;
for (const file of result.outputFiles) {
  // esbuild names the files under outdir (dist/), as meta.json does: they are written to the staging directory.
  const path = join(staging, relative(dist, file.path));
  mkdirSync(dirname(path), { recursive: true });
  if (!file.path.endsWith('.js')) {
    writeFileSync(path, file.contents);
    continue;
  }
  const around = file.text.split(JSON.stringify(STAND_IN));
  filledIn += around.length - 1;
  writeFileSync(path, around.join(JSON.stringify(buildId)));
}
if (filledIn === 0 && 'src/build-id.ts' in result.metafile.inputs) {
  process.stderr.write('the bundle holds no build id to fill in: does src/build-id.ts still read __BACKUP_GRAPH_BUILD__?\n');
  process.exit(1);
}
writeFileSync(join(staging, 'meta.json'), JSON.stringify(result.metafile));
writeFileSync(join(staging, '.build-stamp'), `${new Date().toISOString()}\n`);
// Two renames, not a delete and a rename: an interrupt between them leaves the last build whole, as
// dist.previous (and this one whole, stamped, as dist.building), which the next build or start puts back
// as dist/ before anything else (restoreInterruptedSwap).
if (existsSync(dist)) renameSync(dist, previous);
renameSync(staging, dist);
rmSync(previous, { recursive: true, force: true });
process.stderr.write(`built dist/ in ${((Date.now() - began) / 1000).toFixed(1)} s\n`);
