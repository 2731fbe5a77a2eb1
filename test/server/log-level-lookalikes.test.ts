import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDirs } from '../helpers/temp-dirs.js';
import { ensureBuilt, ROOT, shellEnv, start } from './process.js';

const temp = tempDirs();
afterAll(() => temp.removeAll());

/** A value no word of the gateway's holds: seen in its output, it was echoed. */
const VALUE = 'debug-meant-7q';
const LOOKALIKES = { LOGLEVEL: VALUE, 'LOG-LEVEL': VALUE, log_level: VALUE, LOGGING_LEVEL: VALUE };

function configFile(): string {
  const file = join(temp.make('bg-loglevel-'), 'config.yaml');
  writeFileSync(
    file,
    'listen: { host: 127.0.0.1 }\nadmin: { port: 0, host: 127.0.0.1 }\nclients:\n  - { name: dashboard, key: "a-dashboard-key-of-32-characters", roles: [viewer] }\nproviders:\n  - { id: z, kind: zomro, url: "http://127.0.0.1:9/", auth: { token: "a-zomro-token-31" }, timezone: UTC }\n',
  );
  return file;
}

/** A shell's environment with `extra` and no LOG_LEVEL (shellEnv sets one). */
function envWithout(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = shellEnv({ PORT: '0', LOG_FORMAT: 'json', ...extra });
  delete env.LOG_LEVEL;
  return { ...env, ...extra };
}

async function startEvents(env: NodeJS.ProcessEnv): Promise<{ events: Array<Record<string, unknown>>; output: string }> {
  ensureBuilt();
  const gateway = start(process.execPath, ['dist/main.js', '--config', configFile()], env);
  try {
    await gateway.waitFor(/"msg":"Backup Graph ready/);
    const output = gateway.output();
    return { events: output.split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as Record<string, unknown>), output };
  } finally {
    gateway.child.kill('SIGTERM');
    await gateway.exited;
  }
}

const mentionsLogLevel = (event: Record<string, unknown>): boolean => typeof event.msg === 'string' && event.msg.includes('the gateway reads LOG_LEVEL');

describe('a variable meant as LOG_LEVEL (LOGLEVEL, LOG-LEVEL, log_level, LOGGING_LEVEL)', () => {
  it('the start: one warn event naming each lookalike set and LOG_LEVEL, never the value, and it serves', async () => {
    const { events, output } = await startEvents(envWithout(LOOKALIKES));
    expect(events.filter(mentionsLogLevel)).toEqual([
      expect.objectContaining({
        level: 40,
        setting: 'LOG_LEVEL',
        msg: "LOGLEVEL and LOG-LEVEL and log_level and LOGGING_LEVEL are set, but the gateway reads LOG_LEVEL (unset: the config's logLevel, info by default): to set the gateway's log level, name it LOG_LEVEL; left alone for any other tool that reads it",
      }),
    ]);
    expect(output).not.toContain(VALUE);
  }, 60_000);

  it('nothing said where LOG_LEVEL itself is set', async () => {
    const { events } = await startEvents(envWithout({ ...LOOKALIKES, LOG_LEVEL: 'info' }));
    expect(events.filter(mentionsLogLevel)).toEqual([]);
  }, 60_000);

  it('--check-config: the same words as a warning, still valid (exit 0)', () => {
    ensureBuilt();
    const config = configFile();
    const result = spawnSync(process.execPath, ['dist/main.js', '--check-config', config], { cwd: ROOT, encoding: 'utf8', timeout: 30_000, env: envWithout({ LOGLEVEL: VALUE }) });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stderr.split('\n').filter((line) => line.includes('LOG_LEVEL'))).toEqual([
      "warning: LOGLEVEL is set, but the gateway reads LOG_LEVEL (unset: the config's logLevel, info by default): to set the gateway's log level, name it LOG_LEVEL; left alone for any other tool that reads it",
    ]);
    expect(result.stdout).toBe(`${config}: valid (1 warning)\n`);
    expect(result.stdout + result.stderr).not.toContain(VALUE);
  }, 60_000);
});
