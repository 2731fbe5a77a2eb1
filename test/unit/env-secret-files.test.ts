import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SECRET_FILE_MAX_BYTES, envValue } from '../../src/config/env-secret-files.js';
import { tempDirs } from '../helpers/temp-dirs.js';

const temp = tempDirs();
afterAll(() => temp.removeAll());

/** `${NAME}` read from NAME or from the file NAME_FILE names (Docker secrets, Kubernetes secret volumes). */
const SECRET = 'secret-held-in-a-file-4f1c';

const folder = temp.make('bg-env-secret-files-');
let written = 0;
const fileHolding = (content: string | Buffer): string => {
  written += 1;
  const path = join(folder, `secret-${written}`);
  writeFileSync(path, content);
  return path;
};
const fromFile = (content: string | Buffer) => envValue('TOKEN', { TOKEN_FILE: fileHolding(content) });
const problemOf = (path: string): string => {
  const read = envValue('TOKEN', { TOKEN_FILE: path });
  if (read === undefined || !('problem' in read)) throw new Error(`no problem for ${path}`);
  expect(read.problem).not.toContain(SECRET);
  return read.problem;
};

describe('envValue: NAME or NAME_FILE', () => {
  it('NAME as it is set (even empty, even with a trailing newline); neither set is no value', () => {
    expect(envValue('TOKEN', { TOKEN: `${SECRET}\n` })).toEqual({ value: `${SECRET}\n` });
    expect(envValue('TOKEN', { TOKEN: '' })).toEqual({ value: '' });
    expect(envValue('TOKEN', { OTHER: SECRET, OTHER_FILE: fileHolding(SECRET) })).toBeUndefined();
  });

  it('both set is refused, naming the two variables and quoting neither value', () => {
    const both = envValue('TOKEN', { TOKEN: '', TOKEN_FILE: fileHolding(SECRET) });
    expect(both).toEqual({ problem: 'environment variables TOKEN and TOKEN_FILE are both set: unset one (TOKEN_FILE names a file holding the value)' });
  });

  it("the file's content less one trailing \\n or \\r\\n: a second line break is the secret's own", () => {
    expect(fromFile(SECRET)).toEqual({ value: SECRET });
    expect(fromFile(`${SECRET}\n`)).toEqual({ value: SECRET });
    expect(fromFile(`${SECRET}\r\n`)).toEqual({ value: SECRET });
    expect(fromFile(`${SECRET}\n\n`)).toEqual({ value: `${SECRET}\n` });
    expect(fromFile(`${SECRET}\r`)).toEqual({ value: `${SECRET}\r` });
    expect(fromFile(`line one\n${SECRET}`)).toEqual({ value: `line one\n${SECRET}` });
  });

  it('a file holding nothing but a line break is refused, naming the variable and path (it read "required" at the key)', () => {
    for (const content of ['', '\n', '\r\n', '\uFEFF\n']) {
      const path = fileHolding(content);
      expect(problemOf(path)).toBe(`cannot read TOKEN_FILE (${path}): the file is empty`);
    }
  });

  it("a leading UTF-8 byte-order mark is dropped (Notepad's); one anywhere else is kept", () => {
    expect(fromFile(`\uFEFF${SECRET}\r\n`)).toEqual({ value: SECRET });
    expect(fromFile(`${SECRET}\uFEFF`)).toEqual({ value: `${SECRET}\uFEFF` });
    expect(fromFile(`\uFEFF\uFEFF${SECRET}`)).toEqual({ value: `\uFEFF${SECRET}` });
  });

  it('UTF-8 text is read as UTF-8; any other bytes are refused, not decoded into another secret', () => {
    expect(fromFile(`${SECRET}é€`)).toEqual({ value: `${SECRET}é€` });
    expect(problemOf(fileHolding(Buffer.from(`${SECRET}\u00e9`, 'latin1')))).toMatch(/: not UTF-8 text \(save the file as UTF-8\)$/);
  });

  it(`reads a file of up to ${SECRET_FILE_MAX_BYTES} bytes, refuses a larger one by its size`, () => {
    expect(SECRET_FILE_MAX_BYTES).toBe(65_536);
    const largest = 'x'.repeat(SECRET_FILE_MAX_BYTES);
    expect(fromFile(largest)).toEqual({ value: largest });
    const path = fileHolding(`${largest}y`);
    expect(problemOf(path)).toBe(`cannot read TOKEN_FILE (${path}): 65537 bytes, more than a secret (65536 at most)`);
  });

  it('a file it cannot read is refused, naming the variable, the absolute path and why', () => {
    const missing = join(folder, 'not-mounted');
    expect(problemOf(missing)).toBe(`cannot read TOKEN_FILE (${missing}): no such file: write the value into it, or unset TOKEN_FILE and set TOKEN`);
    const directory = join(folder, 'a-directory');
    mkdirSync(directory);
    expect(problemOf(directory)).toBe(`cannot read TOKEN_FILE (${directory}): it is a directory: name the file in it that holds the value (a mounted secret volume holds one file per key)`);
    // A FIFO opened for reading waits for a writer: the start would hang there.
    const fifo = join(folder, 'a-fifo');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    expect(problemOf(fifo)).toBe(`cannot read TOKEN_FILE (${fifo}): not a regular file`);
    // Any other system error by its code.
    const underAFile = join(fileHolding(SECRET), 'secret');
    expect(problemOf(underAFile)).toBe(`cannot read TOKEN_FILE (${underAFile}): ENOTDIR`);
    expect(problemOf('')).toBe('cannot read TOKEN_FILE (): it is empty, not a path');
  });

  it('a NAME_FILE naming no file says what to do: write the value there, or set NAME in its place (NAME beside NAME_FILE is refused)', () => {
    // Followed by hand, the plain-host steps met "cannot read DASHBOARD_KEY_FILE (...): no such file" and no next step.
    const missing = join(folder, 'never-written');
    expect(problemOf(missing)).toBe(`cannot read TOKEN_FILE (${missing}): no such file: write the value into it, or unset TOKEN_FILE and set TOKEN`);
  });

  it('a relative NAME_FILE not found where npm was started in another directory: says where npm runs the gateway, not "write the value into it"', () => {
    const startedIn = join(process.cwd(), 'docs');
    const read = envValue('TOKEN', { TOKEN_FILE: SECRET, INIT_CWD: startedIn });
    expect(read).toEqual({ problem: `cannot read TOKEN_FILE (a relative path, not quoted as it may be the secret itself; read from ${process.cwd()}): no such file; npm runs the gateway in ${process.cwd()}, not in ${startedIn} where npm was started: give TOKEN_FILE an absolute path, or one from ${process.cwd()}` });
    // guard: started where the gateway runs, the file is simply missing
    expect(envValue('TOKEN', { TOKEN_FILE: SECRET, INIT_CWD: process.cwd() })).toEqual({ problem: expect.stringMatching(/: no such file: write the value into it, or unset TOKEN_FILE and set TOKEN$/) });
  });

  it('a relative NAME_FILE is never quoted (a secret put there by mistake reads as one); the working directory is', () => {
    expect(problemOf(SECRET)).toBe(`cannot read TOKEN_FILE (a relative path, not quoted as it may be the secret itself; read from ${process.cwd()}): no such file: write the value into it, or unset TOKEN_FILE and set TOKEN`);
  });
});
