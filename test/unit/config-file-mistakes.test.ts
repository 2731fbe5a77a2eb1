import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfigFile } from '../../src/config/load.js';
import { ordinal } from '../../src/config/account-labels.js';
import { tempDirs } from '../helpers/temp-dirs.js';

/** Mistakes made in the file itself, through the real loader: each says what is wrong, where, and what to do. */
const temp = tempDirs();
afterAll(() => temp.removeAll());

const file = (text: string | Buffer): string => {
  const path = join(temp.make('bg-config-file-'), 'config.yaml');
  writeFileSync(path, text);
  return path;
};

const problemsOf = (path: string, env: NodeJS.ProcessEnv = {}): string[] => {
  try {
    loadConfigFile(path, env);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
};

const ACCOUNT = 'id: zomro-nl, kind: zomro, url: "https://api.zomro.example/", timezone: UTC, auth: { token: "zomro-secret-token-xyz" }';

describe('config file mistakes', () => {
  it('an empty file, or one of comments only, says it holds nothing (it read "providers: required" and "clients: required")', () => {
    for (const text of ['', '# to be filled in\n']) {
      const path = file(text);
      expect(problemsOf(path)).toEqual([
        `${path}: the file holds no settings (it is empty, or comments only): a config names at least providers and clients; \`npm start --silent -- --simulators > FILE\` writes one to start from, or see backup-graph.example.yaml`,
      ]);
    }
  });

  it('takes YAML merge keys, and top-level x- keys to hold what is merged (each read "unknown key")', () => {
    const path = file(
      [
        'x-defaults: &defaults',
        '  timeoutMs: 5000',
        '  retries: 1',
        'allowAnonymous: true',
        'providers:',
        '  - &nl',
        '    <<: *defaults',
        '    id: zomro-nl',
        '    kind: zomro',
        '    url: https://api.zomro.example/',
        '    timezone: UTC',
        '    auth: { token: "zomro-secret-token-xyz" }',
        '  - <<: *nl',
        '    id: zomro-de',
        '',
      ].join('\n'),
    );
    const config = loadConfigFile(path, {});
    expect(config.providers.map((provider) => [provider.id, provider.kind, provider.timeoutMs, provider.retries])).toEqual([
      ['zomro-nl', 'zomro', 5000, 1],
      ['zomro-de', 'zomro', 5000, 1],
    ]);
  });

  it('a byte-order mark and Windows line ends are read as the file they mark', () => {
    const text = `allowAnonymous: true\r\nproviders:\r\n  - { ${ACCOUNT} }\r\n`;
    expect(problemsOf(file(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)])))).toEqual([]);
  });

  it('two accounts of one id are told apart by place, since the id names both', () => {
    expect(problemsOf(file(`allowAnonymous: true\nproviders:\n  - { ${ACCOUNT} }\n  - { ${ACCOUNT} }\n`))).toEqual(['providers[1].id (the 2nd provider): duplicate provider id "zomro-nl"']);
  });

  it('refuses a listen or admin host with a port, a scheme or brackets, saying where the port goes (it said "valid", then the start exited 1 with "getaddrinfo ENOTFOUND 0.0.0.0:4000")', () => {
    const withHosts = (listenHost: string, adminHost: string): string =>
      file(`allowAnonymous: true\nlisten: { host: "${listenHost}" }\nadmin: { host: "${adminHost}" }\nproviders:\n  - { ${ACCOUNT} }\n`);
    expect(problemsOf(withHosts('0.0.0.0:4000', 'http://127.0.0.1'))).toEqual([
      'listen.host: must be an address or host name without a port (0.0.0.0; the port goes in listen.port)',
      'admin.host: must be an IP address or a host name, without a scheme: 127.0.0.1, not http://127.0.0.1',
    ]);
    expect(problemsOf(withHosts('[::]', 'not..a.host'))).toEqual([
      'listen.host: write an IPv6 address without brackets or port (::; the port goes in listen.port)',
      'admin.host: must be an IP address (0.0.0.0 for every interface, 127.0.0.1 for loopback, :: for IPv6) or a host name',
    ]);
    for (const [listenHost, adminHost] of [['0.0.0.0', '127.0.0.1'], ['::', '::1'], ['gateway.example.com', 'localhost']] as const) {
      expect(problemsOf(withHosts(listenHost, adminHost)), listenHost).toEqual([]);
    }
  });

  it('a boolean written yes, no, on or off says YAML reads it as text (it said "written without quotes" to a value written without any)', () => {
    const path = file(`allowAnonymous: yes\nproviders:\n  - { ${ACCOUNT}, coalesceReads: off }\n`);
    expect(problemsOf(path)).toEqual([
      'allowAnonymous: must be true or false: YAML 1.2 reads yes as text, not as a boolean',
      'providers[0].coalesceReads (account zomro-nl): must be true or false: YAML 1.2 reads off as text, not as a boolean',
    ]);
    expect(problemsOf(file(`allowAnonymous: "true"\nproviders:\n  - { ${ACCOUNT} }\n`))).toEqual(['allowAnonymous: must be a boolean, written without quotes (a ${NAME} always gives a string)']);
  });

  it('counts places as people do', () => {
    expect([1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 101, 111].map(ordinal)).toEqual(['1st', '2nd', '3rd', '4th', '11th', '12th', '13th', '21st', '22nd', '23rd', '101st', '111th']);
  });
});
