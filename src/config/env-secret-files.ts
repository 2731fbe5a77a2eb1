import { isUtf8 } from 'node:buffer';
import { closeSync, constants, fstatSync, openSync, readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { noteSecretFileMode } from './secret-file-modes.js';

/**
 * `${NAME}` in the config, read from NAME, or from the file NAME_FILE names:
 * Docker secrets (/run/secrets/...) and Kubernetes secret volumes hand a
 * secret over as a file, and the `_FILE` suffix is how images (postgres,
 * mariadb, redis) take it.
 */

/** Larger than any secret: a path naming a log or an image by mistake is refused rather than read whole. */
export const SECRET_FILE_MAX_BYTES = 64 * 1024;

export type EnvValue = { value: string } | { problem: string };

/** A secret volume (Kubernetes, Docker) is a directory with one file per key: `_FILE` named the mount, not the file. */
const DIRECTORY = 'it is a directory: name the file in it that holds the value (a mounted secret volume holds one file per key)';

const NO_SUCH_FILE = 'no such file';

/** The UTF-8 byte-order mark some Windows editors (Notepad before 2019) put at a file's start. */
const BYTE_ORDER_MARK = '\uFEFF';

/**
 * NAME's value; else NAME_FILE's file's content less a leading byte-order
 * mark and one trailing line break (`\n` or `\r\n`: the one an editor or
 * `echo` leaves; a second is the secret's own, and the secret checks refuse
 * it); else a problem. Problems name the variables and an absolute path, never
 * what the file holds, nor a relative path: a secret put in NAME_FILE by
 * mistake reads as one, and would have been quoted to the log.
 */
export function envValue(name: string, env: NodeJS.ProcessEnv): EnvValue | undefined {
  const fileVariable = `${name}_FILE`;
  const direct = env[name];
  const file = env[fileVariable];
  if (direct !== undefined && file !== undefined) {
    return { problem: `environment variables ${name} and ${fileVariable} are both set: unset one (${fileVariable} names a file holding the value)` };
  }
  if (direct !== undefined) return { value: direct };
  if (file === undefined) return undefined;
  const read = readSecretFile(file);
  if ('stat' in read) noteSecretFileMode(fileVariable, file, shownPath(file), read.stat, env.CREDENTIALS_DIRECTORY);
  if ('problem' in read) return { problem: `cannot read ${fileVariable} (${shownPath(file)}): ${read.problem}${nextStep(read.problem, name, fileVariable, file, env)}` };
  // A mark of the encoding, not of the secret: kept, a password was sent with it and refused, with nothing pointing at it.
  const text = read.value.startsWith(BYTE_ORDER_MARK) ? read.value.slice(BYTE_ORDER_MARK.length) : read.value;
  const value = text.replace(/\r?\n$/, '');
  // A secret volume mounted before its secret was filled in read "required" at the key, naming no file.
  if (value === '') return { problem: `cannot read ${fileVariable} (${shownPath(file)}): the file is empty` };
  return { value };
}

/**
 * A missing file's next step: "no such file" alone left a reader of the plain-host steps with none.
 * Both set is refused, hence "unset". A relative path where `npm start` was typed in another
 * directory than the one npm runs the gateway in (npm names it INIT_CWD) is most likely the file
 * beside the shell: "write the value into it" had a newcomer write a second copy of a file that was there.
 */
function nextStep(problem: string, name: string, fileVariable: string, file: string, env: NodeJS.ProcessEnv): string {
  if (problem !== NO_SUCH_FILE) return '';
  const startedIn = env.INIT_CWD;
  if (!isAbsolute(file) && startedIn !== undefined && startedIn !== '' && resolve(startedIn) !== process.cwd()) {
    return `; npm runs the gateway in ${process.cwd()}, not in ${startedIn} where npm was started: give ${fileVariable} an absolute path, or one from ${process.cwd()}`;
  }
  return `: write the value into it, or unset ${fileVariable} and set ${name}`;
}

/** An absolute path (or none) as it is; a relative one (read from the working directory) unquoted. */
function shownPath(file: string): string {
  if (file === '' || isAbsolute(file)) return file;
  return `a relative path, not quoted as it may be the secret itself; read from ${process.cwd()}`;
}

function readSecretFile(path: string): EnvValue | { value: string; stat: { mode: number; gid: number } } {
  if (path === '') return { problem: 'it is empty, not a path' };
  let fd: number;
  try {
    // Without blocking, then checked: opening a FIFO waits for a writer, and reading one or a
    // device (/dev/zero) would hold the start for good.
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    return { problem: whyUnreadable(error) };
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) return { problem: stat.isDirectory() ? DIRECTORY : 'not a regular file' };
    if (stat.size > SECRET_FILE_MAX_BYTES) return { problem: `${stat.size} bytes, more than a secret (${SECRET_FILE_MAX_BYTES} at most)` };
    const bytes = readFileSync(fd);
    // Decoded anyway, a Latin-1 or UTF-16 file's secret became another (U+FFFD for each odd byte), refused with nothing pointing at the file.
    if (!isUtf8(bytes)) return { problem: 'not UTF-8 text (save the file as UTF-8)' };
    return { value: bytes.toString('utf8'), stat: { mode: stat.mode, gid: stat.gid } };
  } catch (error) {
    return { problem: whyUnreadable(error) };
  } finally {
    closeSync(fd);
  }
}

function whyUnreadable(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return NO_SUCH_FILE;
  if (code === 'EACCES') return 'permission denied';
  if (code === 'EISDIR') return DIRECTORY;
  return code ?? 'error';
}
