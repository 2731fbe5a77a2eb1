// The digest of what a build is made from: every file under src/ (path and
// bytes, in a fixed order) and package-lock.json (a dependency upgrade can
// change what a provider answer is read as). scripts/build.mjs writes it into
// the bundle as the build id (src/build-id.ts); test/server/build-id.test.ts
// checks the built dist/ against it.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

function filesUnder(path) {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path)
    .sort()
    .flatMap((name) => filesUnder(join(path, name)));
}

export function sourceDigest(root) {
  const hash = createHash('sha256');
  const lock = join(root, 'package-lock.json');
  for (const file of [...filesUnder(join(root, 'src')), ...(existsSync(lock) ? [lock] : [])]) {
    hash.update(relative(root, file).split(sep).join('/')).update('\0').update(readFileSync(file)).update('\0');
  }
  return hash.digest('hex').slice(0, 12);
}

/** esbuild's `define` that writes the build id into a bundle (src/build-id.ts reads it). */
export function buildIdDefine(root) {
  return { __BACKUP_GRAPH_BUILD__: JSON.stringify(sourceDigest(root)) };
}
