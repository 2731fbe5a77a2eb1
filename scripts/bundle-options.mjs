// The esbuild options of the production bundle (scripts/build.mjs), shared with
// the bench's build of the gateway's modules (bench/build-modules.mjs), so that
// the bench measures code bundled as `npm start` runs it.
import { fileURLToPath } from 'node:url';
import { graphqlOnce } from './graphql-once.mjs';

export const bundleOptions = {
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  // Bundling renames clashing identifiers; error and class names in logs stay the sources'.
  keepNames: true,
  // V8 keeps every loaded script's source in the heap, as two bytes a character
  // once one comment holds a non-ASCII character: without comments and
  // whitespace the start-up chunks hold 4 MB instead of 11. Names stay
  // (no identifier mangling) and the source maps lead back to the sources.
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: 'linked',
  metafile: true,
  // graphql-jit loads fast-json-stringify (and with it ajv, ajv-formats, fast-uri) for an
  // option the gateway never sets: a stub that says so takes its place, ~1.3 MiB less heap.
  // @apollo/utils.createhash picks sha.js (SHA-256 in JavaScript) over node:crypto in a bundle:
  // a stub that always takes node:crypto, as the package does unbundled.
  alias: {
    'fast-json-stringify': fileURLToPath(new URL('./bundle-stubs/fast-json-stringify.cjs', import.meta.url)),
    '@apollo/utils.createhash': fileURLToPath(new URL('./bundle-stubs/apollo-createhash.cjs', import.meta.url)),
  },
  // One copy of graphql's exports for every ES module that imports it (see graphql-once.mjs).
  plugins: [graphqlOnce],
  logLevel: 'warning',
  // Bundled CommonJS packages call require() and read __dirname: an ES module has neither.
  banner: {
    js: [
      "import { createRequire as __bundleRequire } from 'node:module';",
      "import { dirname as __bundleDirname } from 'node:path';",
      "import { fileURLToPath as __bundleFileURLToPath } from 'node:url';",
      'const require = __bundleRequire(import.meta.url);',
      'const __filename = __bundleFileURLToPath(import.meta.url);',
      'const __dirname = __bundleDirname(__filename);',
    ].join(' '),
  },
};
