// The build id: a digest of what a bundle is built from, the project's own
// files esbuild read (its metafile's `inputs`, node_modules left out),
// schema.graphql, which the bundle carries as a text esbuild lists no input for
// (scripts/bundled-schema.mjs), and package-lock.json, which pins the
// dependencies' files (an upgrade can change what a provider answer is read as). A file under src/ that nothing imports
// (untracked, a leftover) is no input, so two checkouts of one commit, on any
// machine or in the Dockerfile's build stage, get one id. Paths relative to the
// project, sorted; CRLF read as LF, so a checkout that converts line endings
// (git's autocrlf) hashes the bytes as committed. scripts/build.mjs writes it
// into the bundle as the build id (src/build-id.ts); the bench's bundle
// (bench/build-modules.mjs) takes the same inputs from dist/meta.json.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { SCHEMA_FILE } from './bundled-schema.mjs';

/** A metafile input that is one of the project's own files, as a relative path with `/`; else null. */
function ownInput(root, input) {
  // esbuild names inputs outside its file namespace "<namespace>:<path>" ("(disabled):…"); none is the project's.
  if (!isAbsolute(input) && /^[^/\\]+:/.test(input)) return null;
  const path = relative(root, resolve(root, input));
  if (path.startsWith('..') || isAbsolute(path)) return null;
  const parts = path.split(sep);
  return parts.includes('node_modules') ? null : parts.join('/');
}

const asCommitted = (bytes) => Buffer.from(bytes.toString('latin1').replace(/\r\n/g, '\n'), 'latin1');

/**
 * The build id of a bundle whose esbuild metafile lists `inputs` (paths relative to `root`,
 * esbuild's absWorkingDir): 12 hex digits.
 */
export function sourceDigest(root, inputs) {
  const own = [...new Set(inputs.map((input) => ownInput(root, input)).filter((path) => path !== null))];
  // Written into the bundle through a define (bundled-schema.mjs), not an import: esbuild does not list it.
  for (const path of [SCHEMA_FILE, 'package-lock.json']) if (!own.includes(path) && existsSync(join(root, path))) own.push(path);
  const hash = createHash('sha256');
  for (const path of own.sort()) hash.update(path).update('\0').update(asCommitted(readFileSync(join(root, path)))).update('\0');
  return hash.digest('hex').slice(0, 12);
}

/** esbuild's `define` that writes a build id into a bundle (src/build-id.ts reads it). */
export function buildIdDefine(buildId) {
  return { __BACKUP_GRAPH_BUILD__: JSON.stringify(buildId) };
}
