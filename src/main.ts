import { ConfigError, loadConfigFile } from './config/load.js';
import type { GatewayConfig } from './config/schema.js';
import { USAGE, parseCommand, type Command } from './cli.js';
import { readSchemaText } from './graphql/schema.js';
import { chooseLogFormat, createLogger } from './observability/logger.js';
import { startGatewayServer } from './server/app.js';
import { startDemo } from './server/demo.js';
import { createStore } from './state/create-store.js';

const EXIT_CONFIG = 2;

function listenOverrides(config: GatewayConfig, env: NodeJS.ProcessEnv): GatewayConfig {
  const port = env.PORT !== undefined && /^\d+$/.test(env.PORT) ? Number(env.PORT) : config.listen.port;
  return { ...config, listen: { port, host: env.HOST || config.listen.host } };
}

async function serve(command: Extract<Command, { kind: 'serve' }>): Promise<void> {
  const env = process.env;
  const demo = command.configFile === null;
  let config: GatewayConfig;
  let stopDemo = async () => {};
  if (demo) {
    const latencyMs = Number(env.DEMO_LATENCY_MS ?? 0) || 0;
    const environment = await startDemo({ port: env.PORT ? Number(env.PORT) : 4000, host: env.HOST || '127.0.0.1', simulator: { latencyMs } });
    config = environment.config;
    stopDemo = environment.stop;
  } else {
    config = listenOverrides(loadConfigFile(command.configFile as string, env), env);
  }
  const terminal = process.stdout.isTTY === true;
  const logger = createLogger((env.LOG_LEVEL as GatewayConfig['logLevel'] | undefined) ?? config.logLevel, undefined, { format: chooseLogFormat(env, terminal), colorize: terminal });
  const store = await createStore(env.REDIS_URL, logger);
  const server = await startGatewayServer(config, { logger, store });
  // The banner is a log event like any other: a JSON log pipeline never meets a line it cannot parse.
  logger.info(
    { url: server.graphqlUrl, adminUrl: server.adminUrl, providers: config.providers.map((provider) => provider.id), demo },
    `Backup Graph ${demo ? 'DEMO MODE (simulated providers; every caller is an anonymous admin)' : 'ready'}; GraphiQL: ${server.graphqlUrl}`,
  );

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: finishing requests in flight');
    server
      .close()
      .then(stopDemo)
      .then(() => process.exit(0))
      .catch((error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      });
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

async function main(): Promise<void> {
  let command: Command;
  try {
    command = parseCommand(process.argv.slice(2), process.env);
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}\n`);
    process.exit(EXIT_CONFIG);
  }
  switch (command.kind) {
    case 'help':
      process.stdout.write(`${USAGE}\n`);
      return;
    case 'print-schema':
      process.stdout.write(readSchemaText());
      return;
    case 'check-config':
      loadConfigFile(command.file);
      process.stdout.write(`${command.file}: valid\n`);
      return;
    case 'serve':
      await serve(command);
  }
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.problems.join('\n')}\n`);
    process.exit(EXIT_CONFIG);
  }
  process.stderr.write(`backup-graph failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
