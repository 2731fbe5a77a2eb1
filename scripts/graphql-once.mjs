// An esbuild plugin for the production bundle (scripts/bundle-options.mjs).
//
// graphql is bundled as the CommonJS package it is for node (its "main"), and
// esbuild hands each ES module that imports it `__toESM(require_graphql())`: a
// fresh object with a getter (a closure, its context and an accessor pair) for
// each of graphql's ~240 exports. 77 modules of the chunks import it (69 of them
// loaded to serve), so some 16,500 getters stayed alive for the process's life:
// the idle heap after a full GC was 28.0 MiB with them, 25.6 without. Here every ES module's `import ... from 'graphql'` goes to
// one module that reads graphql's exports once and exports them as constants,
// which esbuild links to directly. `require('graphql')` in CommonJS packages is
// left as it was: the same one copy of graphql, so there is still one realm.
import { createRequire } from 'node:module';
import { dirname } from 'node:path';

const require = createRequire(import.meta.url);
const graphqlMain = require.resolve('graphql');
const graphqlNames = Object.keys(require('graphql')).filter((name) => name !== 'default' && name !== '__esModule');
const NAMESPACE = 'graphql-once';

export const graphqlOnce = {
  name: NAMESPACE,
  setup(build) {
    build.onResolve({ filter: /^graphql$/ }, (args) => (args.kind === 'import-statement' ? { path: 'graphql', namespace: NAMESPACE } : undefined));
    build.onLoad({ filter: /.*/, namespace: NAMESPACE }, () => ({
      // graphql exports a function named graphql: the namespace takes a name none of its exports has.
      contents: `import * as graphqlCommonJs from ${JSON.stringify(graphqlMain)};\nexport const { ${graphqlNames.join(', ')} } = graphqlCommonJs;\n`,
      resolveDir: dirname(graphqlMain),
      loader: 'js',
    }));
  },
};
