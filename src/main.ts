import { parseCommand, usage, type Command } from './cli.js';
import { ConfigError } from './config/config-error.js';
import type { GatewayConfig } from './config/schema.js';
import { readSchemaText } from './graphql/schema-file.js';
import { applyV8Settings } from './v8-settings.js';

// Only `serve` loads the server (Apollo, express, the providers), and only
// --check-config the config schema: the other commands answer at once.

const EXIT_CONFIG = 2;

async function main(): Promise<void> {
  let command: Command;
  try {
    command = parseCommand(process.argv.slice(2), process.env);
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n\n${usage(readSchemaText())}\n`);
    process.exit(EXIT_CONFIG);
  }
  switch (command.kind) {
    case 'help':
      process.stdout.write(`${usage(readSchemaText())}\n`);
      return;
    case 'print-schema':
      process.stdout.write(readSchemaText());
      return;
    case 'check-config': {
      const { loadConfigFile } = await import('./config/load.js');
      const { shortSecrets, shortSecretWarning } = await import('./config/short-secrets.js');
      const { startEnvProblems } = await import('./config/start-env.js');
      // The file's problems and then the environment's, in one pass, as the start would refuse them.
      const envProblems = startEnvProblems(process.env);
      let config: GatewayConfig;
      try {
        config = loadConfigFile(command.file);
      } catch (error) {
        throw error instanceof ConfigError ? new ConfigError([...error.problems, ...envProblems]) : error;
      }
      if (envProblems.length > 0) throw new ConfigError(envProblems);
      // Warnings go to stderr, like the problems; the file is still valid (exit 0).
      const warnings = shortSecrets(config).map(shortSecretWarning);
      for (const warning of warnings) process.stderr.write(`warning: ${warning}\n`);
      process.stdout.write(`${command.file}: valid${warnings.length > 0 ? ` (${warnings.length} warning${warnings.length === 1 ? '' : 's'})` : ''}\n`);
      return;
    }
    case 'simulators': {
      const { runSimulators } = await import('./server/simulators-only.js');
      await runSimulators(process.stdout);
      return;
    }
    case 'serve': {
      applyV8Settings(process.execArgv);
      const { serve } = await import('./server/serve.js');
      await serve(command.configFile, process.env, { demoPublic: command.demoPublic, ...(command.configFromEnv ? { configFromEnv: command.configFromEnv } : {}) });
    }
  }
}

/** What stopped the start, in one line; a port in use says what to change. */
function startFailure(error: unknown): string {
  const { code, port, address, listener } = error as { code?: unknown; port?: unknown; address?: unknown; listener?: unknown };
  if (code === 'EADDRINUSE' && typeof port === 'number') {
    if (listener === 'admin') return `admin port ${port} on ${String(address)} is in use (another gateway's /metrics?): stop it, or choose another admin.port in the config (0: any free port)`;
    return `port ${port} on ${String(address)} is in use (another gateway, or the demo?): stop it, or choose another port (PORT or listen.port)`;
  }
  return error instanceof Error ? error.message : String(error);
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.problems.join('\n')}\n`);
    process.exit(EXIT_CONFIG);
  }
  process.stderr.write(`backup-graph failed to start: ${startFailure(error)}\n`);
  process.exit(1);
});
