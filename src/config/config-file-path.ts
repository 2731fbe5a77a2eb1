import { existsSync, readdirSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { distance } from './did-you-mean.js';

/** The example config the checkout ships, every key with its default. */
export const EXAMPLE_CONFIG = 'backup-graph.example.yaml';

/**
 * What to add to "cannot read FILE" for a config path that is not found. A relative path is read
 * from the working directory, which `npm start` sets to the package root whatever directory it was
 * typed in (npm names that one INIT_CWD): `npm start --silent -- --simulators > sims.yaml` in a
 * subdirectory writes the file there, and `--config sims.yaml` then looks for it in the root.
 */
export function notFoundHints(file: string, env: NodeJS.ProcessEnv, cwd: string = process.cwd()): { where: string; remedy: string } {
  if (isAbsolute(file)) return { where: '', remedy: '' };
  const where = ` (read from ${cwd})`;
  const startedIn = env.INIT_CWD;
  if (startedIn === undefined || startedIn === '' || resolve(startedIn) === resolve(cwd)) return { where, remedy: nearFileHint(file, cwd) ?? exampleHint(file, cwd) };
  return { where, remedy: `; npm runs the gateway in ${cwd}, not in ${startedIn} where npm was started: give the path from ${cwd}, or an absolute one` };
}

/**
 * A config file beside the one named, a letter or two apart (`--config sim.yaml` after writing
 * `sims.yaml`): "no such file" and the example to start from sent a newcomer to write one anew.
 */
function nearFileHint(file: string, cwd: string): string | undefined {
  const folder = dirname(resolve(cwd, file));
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch {
    return undefined;
  }
  const written = basename(file);
  // The nearest, and of those as near the first by name: a folder lists its files in no set order.
  const near = names
    .filter((name) => name !== written && CONFIG_FILE.test(name))
    .map((name) => ({ name, apart: distance(name, written) }))
    .filter(({ apart }) => apart <= 2)
    .sort((a, b) => a.apart - b.apart || (a.name < b.name ? -1 : 1))[0]?.name;
  return near === undefined ? undefined : `; did you mean ${join(dirname(file), near)}?`;
}
const CONFIG_FILE = /\.(?:ya?ml|json)$/;

/**
 * A newcomer's first `--config backup-graph.yaml` names a file nobody wrote yet (the README says to
 * start from the example): where the checkout's example is at hand, say so. Relative paths only (an
 * absolute one, or BACKUP_GRAPH_CONFIG's, is a deployment's file not mounted), not where the
 * example itself is missing, nor beside the working directory's hint (the file is elsewhere).
 */
function exampleHint(file: string, cwd: string): string {
  if (basename(file) === EXAMPLE_CONFIG || !existsSync(join(cwd, EXAMPLE_CONFIG))) return '';
  return `; to write one, start from a copy of ${EXAMPLE_CONFIG} (in ${cwd}), which lists every key with its default`;
}

/**
 * The config path as problems name it: as given, unless it is relative and npm runs the gateway
 * in another directory than the one it was typed in, where a terminal or editor would look for
 * it; there the absolute path.
 */
export function shownConfigPath(file: string, env: NodeJS.ProcessEnv, cwd: string = process.cwd()): string {
  const startedIn = env.INIT_CWD;
  if (isAbsolute(file) || startedIn === undefined || startedIn === '' || resolve(startedIn) === resolve(cwd)) return file;
  return resolve(cwd, file);
}
