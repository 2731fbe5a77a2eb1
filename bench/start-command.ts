/**
 * `npm start`'s command read from a package.json, so the gateway under test
 * runs as users run it: the variables it assigns before `exec node` (e.g.
 * `MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2}`, docs/operations.md) and node's
 * flags. A package.json whose start assigns nothing (an older build given as
 * BENCH_BASELINE) gives no variables.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface StartCommand {
  /** The variables npm start's shell sets for node, as that shell resolves them from `callerEnv`. */
  env: Record<string, string>;
  nodeFlags: string[];
}

const ASSIGNMENT = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/;
/** `${NAME:-fallback}` of the same NAME: the caller's non-empty value, else the fallback (sh's rule). */
const DEFAULTED = /^\$\{([A-Za-z_][A-Za-z0-9_]*):-([^}$`"'\\]*)\}$/;

/** One start script's words: `NAME=value ... [exec] node FLAGS script`. Any other shell in a value is refused, not guessed. */
export function parseStartScript(script: string, callerEnv: NodeJS.ProcessEnv = process.env): StartCommand {
  const words = script.split(/\s+/).filter(Boolean);
  const env: Record<string, string> = {};
  let at = 0;
  for (let match = ASSIGNMENT.exec(words[at] ?? ''); match; match = ASSIGNMENT.exec(words[++at] ?? '')) {
    const [, name, value] = match as unknown as [string, string, string];
    const defaulted = DEFAULTED.exec(value);
    if (defaulted && defaulted[1] === name) env[name] = callerEnv[name] || (defaulted[2] as string);
    else if (/^[^$`"'\\]*$/.test(value)) env[name] = value;
    else throw new Error(`npm start assigns ${name}=${value}: only a plain value or \${${name}:-value} is understood here`);
  }
  if (words[at] === 'exec') at++;
  if (words[at] !== 'node') return { env, nodeFlags: [] };
  const rest = words.slice(at + 1);
  const scriptAt = rest.findIndex((word) => !word.startsWith('--'));
  return { env, nodeFlags: rest.slice(0, scriptAt === -1 ? undefined : scriptAt).filter((word) => word !== '--import') };
}

/** The nearest package.json at or above `directory` (a build's root: dist/, dist/bench-modules/, src/). */
function packageJsonAbove(directory: string): string {
  for (let at = directory; ; at = dirname(at)) {
    if (existsSync(join(at, 'package.json'))) return join(at, 'package.json');
    if (dirname(at) === at) throw new Error(`no package.json at or above ${directory}`);
  }
}

/** npm start's command of the checkout holding `buildRoot` (this one's by default). */
export function startCommand(buildRoot: string = import.meta.dirname, callerEnv: NodeJS.ProcessEnv = process.env): StartCommand {
  const manifest = JSON.parse(readFileSync(packageJsonAbove(buildRoot), 'utf8')) as { scripts: { start: string } };
  return parseStartScript(manifest.scripts.start, callerEnv);
}
