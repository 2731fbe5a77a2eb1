// The schema the bundle serves, written into it by `npm run build` (scripts/build.mjs; the
// bench's bundle too, bench/build-modules.mjs) and read by src/graphql/schema-file.ts.
// Read from beside dist/ at start instead, schema.graphql was no input of the build id
// (scripts/source-digest.mjs lists what esbuild read): a change to it alone (a type, an
// enum value, a description) shipped under the old id, so replicas of the new build shared
// the read cache of the old one, and /metrics showed one build across a fleet serving two
// schemas; and a dist/ copied beside another checkout's schema.graphql served that one.
// Carried in the bundle, what it serves is what it was built from, under an id that covers it.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The schema's path, relative to the project: an input of every bundle that carries it. */
export const SCHEMA_FILE = 'schema.graphql';

/**
 * esbuild's `define` that writes the project's schema.graphql into a bundle as the text it
 * serves; none when the project has no schema (a test's tiny project), and the bundle then
 * reads the file beside it, as the sources do.
 */
export function bundledSchemaDefine(root) {
  const path = join(root, SCHEMA_FILE);
  return existsSync(path) ? { __BACKUP_GRAPH_SCHEMA__: JSON.stringify(readFileSync(path, 'utf8')) } : {};
}
