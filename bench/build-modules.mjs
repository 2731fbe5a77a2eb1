// The bench drives the gateway through its modules (config/load, the logger,
// server/app: bench/gateway.ts), which the production bundle (dist/main.js)
// does not export. This bundles those three the same way, into
// dist/bench-modules/, so the bench measures bundled code as `npm start`
// runs it, and the bench's gateway process (bench/gateway.ts) with them. Run
// after `npm run build` (the bench script does both).
import { join } from 'node:path';
import { build } from 'esbuild';
import { bundleOptions } from '../scripts/bundle-options.mjs';
import { buildIdDefine } from '../scripts/source-digest.mjs';

const root = join(import.meta.dirname, '..');
await build({
  ...bundleOptions,
  metafile: false,
  // The build id npm run build writes in, so a bench gateway reports the build it measures.
  define: buildIdDefine(root),
  entryPoints: [
    ...['config/load', 'observability/logger', 'server/app', 'v8-settings'].map((module) => ({ in: join(root, 'src', `${module}.ts`), out: module })),
    // The bench's gateway process itself, so that it runs under plain node: under
    // tsx every module it loads is transformed and kept with its source map,
    // which quadrupled the heap the bench reported for a bundled build.
    { in: join(root, 'bench', 'gateway.ts'), out: 'bench-gateway' },
  ],
  outdir: join(root, 'dist', 'bench-modules'),
});
