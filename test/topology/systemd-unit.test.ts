import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfigObject } from '../../src/config/load.js';
import type { RunningSimulator } from '../../src/providers/module.js';
import { startSimulator } from '../../src/providers/registry.js';
import { accountCacheKeys } from '../helpers/account-cache-keys.js';
import { freePort, throwUnlessListening } from '../helpers/gateway-process.js';
import { eventually } from '../helpers/harness.js';
import { expectOnlyAccountIdChanged, hostConfigWithAccount, runAccountId } from '../helpers/host-config.js';
import { assignments, expandSpecifiers, parseUnit, readEnvironmentFile, single, timeSpanMs, values } from '../helpers/systemd-unit.js';
import { environOf } from '../helpers/process-environ.js';
import { ensureBuilt } from '../server/process.js';

/**
 * deploy/systemd/backup-graph@.service, the unit a platform team on plain hosts runs the
 * replicas with (docs/operations.md, "Plain hosts"): its ExecStart, run as a plain process in
 * the environment systemd would give it (the unit's Environment=, its EnvironmentFiles as
 * shipped in deploy/systemd/, the secrets as files in $CREDENTIALS_DIRECTORY), serves /readyz
 * and stops on the KillSignal with exit 0; its stop timeout outlasts the drain; every path it
 * names is in the repository or in the docs.
 */
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const UNIT_FILE = join(ROOT, 'deploy/systemd/backup-graph@.service');
const unit = parseUnit(readFileSync(UNIT_FILE, 'utf8'));
const OPERATIONS = readFileSync(join(ROOT, 'docs/operations.md'), 'utf8');
const INSTANCE = '1';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Where the docs install each file the unit names, and the repository file it is a copy of. */
const INSTALLED_FROM: Record<string, string> = {
  '/opt/backup-graph': '.',
  '/etc/backup-graph/config.yaml': 'deploy/host.config.yaml',
  '/etc/backup-graph/backup-graph.env': 'deploy/systemd/backup-graph.env',
  '/etc/backup-graph/%i.env': 'deploy/systemd/%i.env',
};
const fromRepository = (installed: string, instance: string): string | undefined => {
  const source = INSTALLED_FROM[installed];
  return source === undefined ? undefined : join(ROOT, source.replace('%i', instance));
};

/** The secrets each LoadCredential= names, as the test writes them (the config's ${NAME}s need values). */
const credentialValues = (zomroSession: string): Record<string, string> => ({
  redis_url: REDIS_URL,
  dashboard_key: 'systemd-unit-dashboard-key-0123456789',
  ops_key: 'systemd-unit-ops-key-0123456789abcdef',
  zomro_session: zomroSession,
});

/** How long a stop may take at most once the drain timer fires: the bounded wait for the log lines (src/server/serve.ts, LOG_FLUSH_AT_EXIT_MS). */
const LOG_FLUSH_AT_EXIT_MS = 1_000;

/** The environment systemd gives the process: its own few variables, Environment=, then the EnvironmentFiles in order. */
function unitEnvironment(credentialsDirectory: string): Record<string, string> {
  const specifiers = { instance: INSTANCE, credentialsDirectory };
  const env: Record<string, string> = {
    PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin',
    LANG: 'C.UTF-8',
    INVOCATION_ID: '0123456789abcdef0123456789abcdef',
    JOURNAL_STREAM: '8:12345',
    SYSTEMD_EXEC_PID: '1',
    CREDENTIALS_DIRECTORY: credentialsDirectory,
  };
  for (const value of values(unit, 'Service', 'Environment')) for (const [name, setting] of assignments(expandSpecifiers(value, specifiers))) env[name] = setting;
  for (const value of values(unit, 'Service', 'EnvironmentFile')) {
    const installed = value.replace(/^-/, '');
    const source = fromRepository(installed, INSTANCE);
    if (source === undefined) throw new Error(`EnvironmentFile ${installed} has no copy in the repository`);
    Object.assign(env, readEnvironmentFile(source));
  }
  return env;
}

/** The unit's absolute paths outside the credentials directory (%d), from every setting but the docs link. */
function pathsNamed(): string[] {
  const paths = new Set<string>();
  for (const [section, settings] of unit) {
    for (const [key, value] of settings) {
      if (section === 'Unit' && key === 'Documentation') continue;
      for (const word of value.split(/[\s:]+/)) if (word.startsWith('/')) paths.add(word);
    }
  }
  return [...paths];
}

describe('the systemd unit (deploy/systemd/backup-graph@.service)', () => {
  const service = (key: string): string | undefined => single(unit, 'Service', key);

  it('runs as its own user with the hardening a platform team expects, and writes nowhere', () => {
    expect(service('User')).toMatch(/^[a-z][a-z0-9-]*$/);
    expect(service('User')).not.toBe('root');
    expect(service('NoNewPrivileges')).toBe('yes');
    expect(service('ProtectSystem')).toBe('strict');
    expect(service('ProtectHome')).toBe('yes');
    expect(service('PrivateTmp')).toBe('yes');
    expect(service('CapabilityBoundingSet')).toBe('');
    // A system call the filter leaves out fails, rather than killing the replica with SIGSYS.
    expect(service('SystemCallErrorNumber')).toBe('EPERM');
    // The gateway writes no file: state in Redis or memory, logs on stdout.
    expect(values(unit, 'Service', 'ReadWritePaths')).toEqual([]);
    // V8's JIT needs writable, executable pages: with it node does not start.
    expect(service('MemoryDenyWriteExecute')).toBeUndefined();
    expect(service('Restart')).toBe('always');
    // Exit 2 is a refused config or variable: restarting does not mend it.
    expect(service('RestartPreventExitStatus')).toBe('2');
    expect(single(unit, 'Install', 'WantedBy')).toBe('multi-user.target');
  });

  it("stops with SIGTERM and waits longer than the gateway's drain before SIGKILL", () => {
    expect(service('KillSignal')).toBe('SIGTERM');
    const directory = mkdtempSync(join(tmpdir(), 'backup-graph-systemd-drain-'));
    try {
      for (const [name, value] of Object.entries(credentialValues('a-session-0123456789abcdef'))) writeFileSync(join(directory, name), value);
      for (const instance of ['1', '2']) {
        const env = { ...unitEnvironment(directory), ...readEnvironmentFile(join(ROOT, `deploy/systemd/${instance}.env`)) };
        // The drain in effect: the config's shutdown.drainTimeoutMs, or DRAIN_TIMEOUT_MS from an env file.
        const config = loadConfigObject(parse(readFileSync(fromRepository('/etc/backup-graph/config.yaml', instance) as string, 'utf8')), env);
        expect(timeSpanMs(service('TimeoutStopSec') ?? ''), `instance ${instance}`).toBeGreaterThan(config.shutdown.drainTimeoutMs + LOG_FLUSH_AT_EXIT_MS);
      }
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it('names only paths that are in the repository or in docs/operations.md', () => {
    ensureBuilt();
    const named = pathsNamed();
    expect(named).toContain('/etc/backup-graph/%i.env');
    for (const path of named) {
      // Installed copies: the docs say where they come from, and the repository has them.
      expect(OPERATIONS.includes(path), `${path} in docs/operations.md`).toBe(true);
      for (const instance of ['1', '2']) {
        const source = fromRepository(path, instance);
        if (source !== undefined) expect(existsSync(source), `${path} <- ${source}`).toBe(true);
      }
    }
    // ExecStart's relative paths are read from WorkingDirectory, the checkout.
    expect(single(unit, 'Service', 'WorkingDirectory')).toBe('/opt/backup-graph');
    for (const word of (service('ExecStart') ?? '').split(/\s+/).slice(1)) {
      if (!word.startsWith('-') && !isAbsolute(word) && /[/.]/.test(word)) expect(existsSync(join(ROOT, word)), word).toBe(true);
    }
    // Each secret's source is documented; the gateway reads it through a NAME_FILE in %d.
    for (const credential of values(unit, 'Service', 'LoadCredential')) {
      const [name] = credential.split(':');
      expect(values(unit, 'Service', 'Environment').some((value) => value.endsWith(`_FILE=%d/${name}`)), `${name} read through a _FILE variable`).toBe(true);
    }
  });

  it('the docs\' check before the first start passes in the shell that followed "Plain hosts" and wrote the secrets (REDIS_URL and the keys exported there)', () => {
    ensureBuilt();
    // The install steps' check, as docs/operations.md gives it: from its comment to the unit's install line.
    const steps = OPERATIONS.slice(OPERATIONS.indexOf('useradd --system'));
    const check = steps.slice(steps.indexOf('# Check the config'), steps.indexOf('install -m 0644 deploy/systemd/backup-graph@.service'));
    expect(check).toContain('--check-config /etc/backup-graph/config.yaml');
    const etc = mkdtempSync(join(tmpdir(), 'backup-graph-systemd-check-'));
    try {
      copyFileSync(join(ROOT, 'deploy/host.config.yaml'), join(etc, 'config.yaml'));
      for (const file of ['backup-graph.env', '1.env']) copyFileSync(join(ROOT, 'deploy/systemd', file), join(etc, file));
      const secrets = credentialValues('a-session-0123456789abcdef');
      for (const [name, value] of Object.entries(secrets)) writeFileSync(join(etc, name), value, { mode: 0o600 });
      const script = check.replaceAll('/opt/backup-graph', ROOT).replaceAll('/etc/backup-graph/', `${etc}/`);
      // "Plain hosts" exports REDIS_URL; the install steps write each file from a shell variable, exported or not.
      const shell = { PATH: process.env.PATH ?? '/usr/bin:/bin', REDIS_URL: secrets.redis_url!, DASHBOARD_KEY: secrets.dashboard_key!, OPS_KEY: secrets.ops_key!, ZOMRO_SESSION: secrets.zomro_session! };
      const checked = spawnSync('bash', ['--norc', '--noprofile', '-c', script], { encoding: 'utf8', env: shell });
      expect({ status: checked.status, stderr: checked.stderr }).toEqual({ status: 0, stderr: '' });
      expect(checked.stdout).toContain('config.yaml: valid');
    } finally {
      rmSync(etc, { recursive: true, force: true });
    }
  });

  it.skipIf(spawnSync('systemd-analyze', ['--version']).error !== undefined)('passes systemd-analyze verify (skipped only without systemd-analyze)', () => {
    const directory = mkdtempSync(join(tmpdir(), 'backup-graph-systemd-verify-'));
    try {
      copyFileSync(UNIT_FILE, join(directory, 'backup-graph@.service'));
      const verified = spawnSync('systemd-analyze', ['verify', join(directory, `backup-graph@${INSTANCE}.service`)], { encoding: 'utf8' });
      // Unknown keys and unparsable values are warnings on stderr with exit 0: none at all.
      expect({ status: verified.status, stderr: verified.stderr }).toEqual({ status: 0, stderr: '' });
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  describe('ExecStart run as a plain process in the environment the unit gives it', () => {
    // The installed config is the shipped one but for its account id, this run's own: the same file
    // runs in plain-host-replicas.test.ts against the same Redis, where one id shares one read cache.
    const accountId = runAccountId();
    let simulator: RunningSimulator;
    let credentials: string;
    let zomroUrl: string;
    let installedConfig: string;
    const running: ChildProcess[] = [];

    beforeAll(async () => {
      ensureBuilt();
      simulator = await startSimulator('zomro');
      const { url, auth } = simulator.accountConfig(accountId);
      const token = (auth as { token?: unknown } | undefined)?.token;
      if (typeof url !== 'string' || typeof token !== 'string') throw new Error('the Zomro simulator gave no url and token');
      zomroUrl = url;
      credentials = mkdtempSync(join(tmpdir(), 'backup-graph-systemd-credentials-'));
      installedConfig = hostConfigWithAccount(mkdtempSync(join(tmpdir(), 'backup-graph-systemd-config-')), accountId);
      for (const credential of values(unit, 'Service', 'LoadCredential')) {
        const [name] = credential.split(':') as [string];
        const value = credentialValues(token)[name];
        if (value === undefined) throw new Error(`LoadCredential ${name}: no test value for it`);
        writeFileSync(join(credentials, name), value, { mode: 0o400 });
      }
    }, 120_000);

    afterAll(async () => {
      for (const child of running) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await simulator?.stop();
      if (credentials) rmSync(credentials, { recursive: true, force: true });
      if (installedConfig) rmSync(dirname(installedConfig), { recursive: true, force: true });
    });

    /**
     * ExecStart with the env files as shipped, but for what this machine must differ in: free
     * ports (other tests run beside this one), the simulator for the real Zomro and this run's
     * account id in the installed config; `wrapper`
     * runs it under another command (strace). Resolves once /readyz answers 200 from that process.
     */
    async function startAsTheUnitWould(wrapper: string[] = []): Promise<{ port: number; pid: number | undefined; output: () => string; exited: Promise<number | null> }> {
      const port = await freePort();
      const env = { ...unitEnvironment(credentials), PORT: String(port), ADMIN_PORT: String(await freePort()), ZOMRO_URL: zomroUrl };
      const [command, ...args] = (service('ExecStart') ?? '').split(/\s+/).map((word) => (word === '/etc/backup-graph/config.yaml' ? installedConfig : word));
      expect(command).toBe('node');
      const [program, ...programArgs] = [...wrapper, process.execPath, ...args] as [string, ...string[]];
      const child = spawn(program, programArgs, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
      running.push(child);
      let output = '';
      child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
      let stopped: number | null | undefined;
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve((stopped = code))));
      await eventually(
        async () => {
          if (stopped !== undefined) throw new Error(`the gateway exited (${stopped}) before it was ready:\n${output}`);
          const status = await fetch(`http://127.0.0.1:${port}/readyz`).then(
            (response) => response.status,
            () => 0,
          );
          // An answer from another server that took the port first fails here, not at the query.
          if (status !== 0) throwUnlessListening(child.pid, port, output);
          return status;
        },
        (answered) => answered === 200,
        { timeoutMs: 60_000, intervalMs: 100 },
      );
      return { port, pid: child.pid, output: () => output, exited };
    }

    /** A query with the client key the config reads through DASHBOARD_KEY_FILE, from the credentials directory. */
    async function queryWithTheDashboardKey(port: number): Promise<{ status: number; errors?: unknown }> {
      const answer = await fetch(`http://127.0.0.1:${port}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${credentialValues('').dashboard_key}` },
        body: JSON.stringify({ query: '{ instances(first: 1) { totalCount } }' }),
      });
      const { errors } = (await answer.json()) as { errors?: unknown };
      return { status: answer.status, errors };
    }

    it('installs the shipped config but for its account id', () => {
      expectOnlyAccountIdChanged(installedConfig, accountId);
    });

    it('answers /readyz 200 and a query with the key from its credentials, then exits 0 on the KillSignal', async () => {
      const gateway = await startAsTheUnitWould();
      expect(await queryWithTheDashboardKey(gateway.port), gateway.output()).toEqual({ status: 200, errors: undefined });
      // Environment=MALLOC_ARENA_MAX=2, in the process glibc started (docs/operations.md, "Start-up, memory, sizing").
      expect(environOf(gateway.pid).MALLOC_ARENA_MAX).toBe('2');
      // Its read cache is in Redis under this run's account id, not the shipped id another run of the file shares.
      expect((await accountCacheKeys(REDIS_URL, accountId)).length).toBeGreaterThan(0);
      // Its secrets came from the credentials directory: none of them is printed.
      const { dashboard_key: dashboardKey, ops_key: opsKey } = credentialValues('');
      expect(gateway.output()).not.toContain(dashboardKey);
      expect(gateway.output()).not.toContain(opsKey);
      running.at(-1)?.kill(service('KillSignal') as NodeJS.Signals);
      expect(await gateway.exited, gateway.output()).toBe(0);
    }, 90_000);

    const traceable = spawnSync('strace', ['-V']).error === undefined && spawnSync('systemd-analyze', ['--version']).error === undefined;
    it.skipIf(!traceable)('makes no system call its SystemCallFilter leaves out, from start to stop (skipped only without strace and systemd-analyze)', async () => {
      const directory = mkdtempSync(join(tmpdir(), 'backup-graph-systemd-strace-'));
      try {
        const trace = join(directory, 'trace');
        const gateway = await startAsTheUnitWould(['strace', '-f', '-qq', '-o', trace]);
        expect(await queryWithTheDashboardKey(gateway.port), gateway.output()).toEqual({ status: 200, errors: undefined });
        // The node process is the trace's first pid (the strace in front of it would not pass a signal on).
        const nodePid = Number(/^(\d+)\s/.exec(readFileSync(trace, 'utf8'))?.[1]);
        process.kill(nodePid, service('KillSignal') as NodeJS.Signals);
        expect(await gateway.exited, gateway.output()).toBe(0);
        const made = new Set([...readFileSync(trace, 'utf8').matchAll(/^\d+\s+([a-z0-9_]+)\(/gm)].map((match) => match[1] as string));
        expect(made.size).toBeGreaterThan(20);
        const allowed = allowedBy(values(unit, 'Service', 'SystemCallFilter'));
        expect([...made].filter((call) => !allowed.has(call))).toEqual([]);
      } finally {
        rmSync(directory, { recursive: true, force: true });
      }
    }, 120_000);
  });
});

/** The system calls one name stands for: itself, or a @group's members as systemd-analyze lists them (groups in groups too). */
function syscallsOf(name: string): string[] {
  if (!name.startsWith('@')) return [name];
  const listed = spawnSync('systemd-analyze', ['syscall-filter', name], { encoding: 'utf8' });
  if (listed.status !== 0) throw new Error(`systemd-analyze syscall-filter ${name}: ${listed.stderr}`);
  return listed.stdout
    .split('\n')
    .slice(1)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .flatMap(syscallsOf);
}

/** SystemCallFilter= lines as systemd combines them: the first allow list, grown by later lists, shrunk by `~` ones. */
function allowedBy(filters: readonly string[]): Set<string> {
  const allowed = new Set<string>();
  for (const filter of filters) {
    const denied = filter.startsWith('~');
    for (const name of filter.replace(/^~/, '').split(/\s+/)) for (const call of syscallsOf(name)) (denied ? allowed.delete(call) : allowed.add(call));
  }
  return allowed;
}
