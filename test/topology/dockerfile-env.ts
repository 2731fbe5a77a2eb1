import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../server/process.js';

/** The Dockerfile's runtime ENV lines, `NAME=value` pairs: every container of the image starts with them. */
export function dockerfileEnv(): Record<string, string> {
  const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
  const runtime = dockerfile.slice(dockerfile.indexOf('AS runtime'));
  const block = /^ENV ((?:.*\\\n)*.*)$/m.exec(runtime)?.[1] ?? '';
  return Object.fromEntries([...block.matchAll(/([A-Z_]+)=(\S+)/g)].map((match) => [match[1] as string, match[2] as string]));
}
