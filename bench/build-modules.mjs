// The bench drives the gateway through its modules (config/load, the logger,
// server/app: bench/gateway.ts), which the production bundle (dist/main.js)
// does not export. This bundles those three the same way, into
// dist/bench-modules/, so the bench measures bundled code as `npm start`
// runs it, and the bench's gateway process (bench/gateway.ts) with them. Run
// after `npm run build` (the bench script does both).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { bundleOptions } from '../scripts/bundle-options.mjs';
import { bundledSchemaDefine } from '../scripts/bundled-schema.mjs';
import { buildIdDefine, sourceDigest } from '../scripts/source-digest.mjs';

const root = join(import.meta.dirname, '..');
// The id `npm run build` wrote into dist/main.js is the digest of the files that bundle read
// (dist/meta.json), not of these entry points' own (bench/gateway.ts, no main.ts).
const metaFile = join(root, 'dist', 'meta.json');
if (!existsSync(metaFile)) {
  process.stderr.write('dist/meta.json is missing: run `npm run build` first (the bench scripts do)\n');
  process.exit(1);
}
const buildId = sourceDigest(root, Object.keys(JSON.parse(readFileSync(metaFile, 'utf8')).inputs));
await build({
  ...bundleOptions,
  metafile: false,
  // The build id npm run build wrote in, so a bench gateway reports the build it measures.
  define: { ...buildIdDefine(buildId), ...bundledSchemaDefine(root) },
  entryPoints: [
    ...['config/load', 'observability/logger', 'server/app', 'v8-settings'].map((module) => ({ in: join(root, 'src', `${module}.ts`), out: module })),
    // The bench's gateway process itself, so that it runs under plain node: under
    // tsx every module it loads is transformed and kept with its source map,
    // which quadrupled the heap the bench reported for a bundled build.
    { in: join(root, 'bench', 'gateway.ts'), out: 'bench-gateway' },
  ],
  outdir: join(root, 'dist', 'bench-modules'),
});
