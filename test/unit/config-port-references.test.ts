import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfigObject, substituteEnv } from '../../src/config/load.js';

/**
 * Two replicas on one host need their own ports: `admin.port: ${ADMIN_PORT}`
 * was refused "must be a number, written without quotes (a ${NAME} always
 * gives a string)", so each replica needed a config file of its own.
 */
const zomro = { id: 'zomro-nl', kind: 'zomro', url: 'https://api.zomro.com/', auth: { token: 't0ken' } };
const withPorts = (listen: unknown, admin: unknown): unknown => ({ allowAnonymous: true, providers: [zomro], listen: { port: listen }, admin: { port: admin } });

const problemsOf = (parsed: unknown, env: NodeJS.ProcessEnv): string[] => {
  try {
    loadConfigObject(parsed, env);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
};

describe('listen.port and admin.port from ${NAME}', () => {
  it('reads each replica its own ports from one file', () => {
    const file = withPorts('${GW_PORT}', '${ADMIN_PORT}');
    const first = loadConfigObject(file, { GW_PORT: '4001', ADMIN_PORT: '9465' });
    const second = loadConfigObject(file, { GW_PORT: '4002', ADMIN_PORT: '0' });
    expect([first.listen.port, first.admin.port]).toEqual([4001, 9465]);
    expect([second.listen.port, second.admin.port]).toEqual([4002, 0]);
  });

  it('reads NAME_FILE as any ${NAME} does, less its last line break', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'port-reference-')), 'admin-port');
    writeFileSync(file, '9466\n');
    expect(loadConfigObject(withPorts(4000, '${ADMIN_PORT}'), { ADMIN_PORT_FILE: file }).admin.port).toBe(9466);
  });

  it('names an unreadable NAME_FILE, once, with the key it was for', () => {
    const dir = mkdtempSync(join(tmpdir(), 'port-reference-'));
    const problems = problemsOf(withPorts(4000, '${ADMIN_PORT}'), { ADMIN_PORT_FILE: dir });
    expect(problems).toEqual([`admin.port: cannot read ADMIN_PORT_FILE (${dir}): it is a directory: name the file in it that holds the value (a mounted secret volume holds one file per key)`]);
  });

  it('substitutes a refused port as empty text, its problem noted, where no set of missing keys is kept', () => {
    const problems: string[] = [];
    expect(substituteEnv({ listen: { port: '${GW_PORT}' }, admin: { port: '${ADMIN_PORT}' } }, { GW_PORT: 'nine', ADMIN_PORT: '9465' }, problems)).toEqual({ listen: { port: '' }, admin: { port: 9465 } });
    expect(problems).toEqual(['listen.port: ${GW_PORT} is "nine": must be a whole number from 0 to 65535 (0 = any free port)']);
  });

  it('refuses a value that is no port, naming the key, the variable and what it held', () => {
    expect(problemsOf(withPorts('${GW_PORT}', '${ADMIN_PORT}'), { GW_PORT: '65536', ADMIN_PORT: 'nine' })).toEqual([
      'listen.port: ${GW_PORT} is "65536": must be a whole number from 0 to 65535 (0 = any free port)',
      'admin.port: ${ADMIN_PORT} is "nine": must be a whole number from 0 to 65535 (0 = any free port)',
    ]);
    for (const held of ['', ' 9465', '9465\n', '-1', '94.65', '0x2000']) {
      expect(problemsOf(withPorts(4000, '${ADMIN_PORT}'), { ADMIN_PORT: held })).toEqual([`admin.port: \${ADMIN_PORT} is ${JSON.stringify(held)}: must be a whole number from 0 to 65535 (0 = any free port)`]);
    }
  });

  it('never quotes what NAME_FILE holds, nor a value too long to be a port: either may be a secret given by mistake', () => {
    const secret = 'dashboard-key-0123456789abcdef';
    const file = join(mkdtempSync(join(tmpdir(), 'port-reference-')), 'wrong-secret');
    writeFileSync(file, `${secret}\n`);
    const fromFile = problemsOf(withPorts(4000, '${ADMIN_PORT}'), { ADMIN_PORT_FILE: file });
    expect(fromFile).toEqual(['admin.port: the file ADMIN_PORT_FILE names holds no port (what it holds is not quoted): must be a whole number from 0 to 65535 (0 = any free port)']);
    const direct = problemsOf(withPorts('${GW_PORT}', 4000), { GW_PORT: secret });
    expect(direct).toEqual([`listen.port: \${GW_PORT} is no port (${secret.length} characters, not quoted: it may be a secret): must be a whole number from 0 to 65535 (0 = any free port)`]);
    for (const problem of [...fromFile, ...direct]) expect(problem).not.toContain(secret.slice(0, 8));
  });

  it('takes 65535, the highest port', () => {
    expect(loadConfigObject(withPorts('${GW_PORT}', 9465), { GW_PORT: '65535' }).listen.port).toBe(65_535);
  });

  it('quotes a value of up to 8 characters, and only the length of a longer one', () => {
    expect(problemsOf(withPorts(4000, '${ADMIN_PORT}'), { ADMIN_PORT: 'eightchr' })).toEqual(['admin.port: ${ADMIN_PORT} is "eightchr": must be a whole number from 0 to 65535 (0 = any free port)']);
    expect(problemsOf(withPorts(4000, '${ADMIN_PORT}'), { ADMIN_PORT: 'ninechars' })).toEqual(['admin.port: ${ADMIN_PORT} is no port (9 characters, not quoted: it may be a secret): must be a whole number from 0 to 65535 (0 = any free port)']);
  });

  it('names a variable that is not set once, as any other ${NAME}', () => {
    expect(problemsOf(withPorts(4000, '${ADMIN_PORT}'), {})).toEqual(['admin.port: environment variable ADMIN_PORT is not set: set it, or set ADMIN_PORT_FILE to a file that holds the value']);
  });

  it('still refuses a port written as quoted text, or a reference inside other text', () => {
    expect(problemsOf(withPorts('4000', '${ADMIN_PORT}0'), { ADMIN_PORT: '946' })).toEqual([
      'listen.port: must be a number, written without quotes, or one ${NAME} and nothing else (read as the port)',
      'admin.port: must be a number, written without quotes, or one ${NAME} and nothing else (read as the port)',
    ]);
    // Text before the reference, as well as after it: no port either.
    expect(problemsOf(withPorts('9${GW_PORT}', 9465), { GW_PORT: '400' })).toEqual(['listen.port: must be a number, written without quotes, or one ${NAME} and nothing else (read as the port)']);
  });
});
