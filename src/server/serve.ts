import { BUILD_ID } from '../build-id.js';
import { ConfigError } from '../config/config-error.js';
import { envLogLevel } from '../config/env-log-level.js';
import { logLevelLookalikes, logLevelLookalikeWarning } from '../config/log-level-lookalikes.js';
import { demoLatencyMs, envPort } from '../config/env-numbers.js';
import { refuseMisspeltVariables } from '../config/env-misspellings.js';
import { envRedisUrl, envRedisUrlSetting } from '../config/env-redis-url.js';
import { envHost } from '../config/listen-host.js';
import { loadConfigFile } from '../config/load.js';
import { sharedPortProblem } from '../config/shared-port.js';
import { readyzGraceProblem, type GatewayConfig } from '../config/schema.js';
import { shortSecrets, shortSecretWarning } from '../config/short-secrets.js';
import { smallAnswerBudget } from '../config/small-answer-budget.js';
import { variableLookalikes, variableLookalikeWarning } from '../config/variable-lookalikes.js';
import { defaultTimezones, defaultTimezoneWarning } from '../config/default-timezone.js';
import { loginHoldsWithoutLogin, loginHoldWithoutLoginWarning } from '../config/login-hold-without-login.js';
import { shortAnswerDeadlines, shortAnswerDeadlineWarning } from '../config/short-answer-deadline.js';
import { secretEdgeSpaces, secretEdgeSpaceWarning } from '../config/secret-edge-spaces.js';
import { looseSecretFileWarning, takeLooseSecretFiles } from '../config/secret-file-modes.js';
import { boundedStdout, onStdoutResumed, STDOUT_MAX_BUFFERED_BYTES } from '../observability/bounded-stdout.js';
import { chooseLogFormat, createLogger } from '../observability/logger.js';
import { createStore } from '../state/create-store.js';
import { startGatewayServer } from './app.js';
import type { StartPhases } from '../start-signals.js';
import { watchProcessFaults } from './process-faults.js';
import { drainTimeoutMs, echoMs, exitOnSignals, readyzGraceMs, shutdownGateway } from './shutdown.js';

function listenOverrides(config: GatewayConfig, env: NodeJS.ProcessEnv): GatewayConfig {
  return { ...config, listen: { ...config.listen, port: envPort(env) ?? config.listen.port, host: envHost(env) ?? config.listen.host } };
}

/**
 * DRAIN_TIMEOUT_MS and SHUTDOWN_READYZ_GRACE_MS written into the config, so
 * that every part of the shutdown reads one value: the exit timer and
 * Apollo's drain grace, which would otherwise cut a request at the config's
 * drain while the process still waits for it.
 */
function shutdownOverrides(config: GatewayConfig, env: NodeJS.ProcessEnv): GatewayConfig {
  const shutdown = { drainTimeoutMs: drainTimeoutMs(config.shutdown.drainTimeoutMs, env), readyzGraceMs: readyzGraceMs(config.shutdown.readyzGraceMs, env) };
  const problem = readyzGraceProblem(shutdown.readyzGraceMs, shutdown.drainTimeoutMs);
  if (problem) throw new ConfigError([`shutdown.readyzGraceMs: ${problem}`]);
  return { ...config, shutdown };
}

/** How long a clean exit waits for queued log lines to reach stdout's reader. */
const LOG_FLUSH_AT_EXIT_MS = 1_000;

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '::1', 'localhost']);

/** A loopback name or address: 127.0.0.0/8, ::1, localhost. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  return LOOPBACK_HOSTS.has(bare) || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(bare) || bare === '::ffff:127.0.0.1';
}

/** Starts the gateway (demo mode when configFile is null) and stops it gracefully on SIGINT/SIGTERM. */
export async function serve(configFile: string | null, env: NodeJS.ProcessEnv, options: { demoPublic?: boolean; configFromEnv?: string; phases?: StartPhases } = {}): Promise<void> {
  const demo = configFile === null;
  const phases = options.phases;
  phases?.enter(demo ? 'starting the demo simulators' : 'reading the config');
  refuseMisspeltVariables(env);
  const redisUrl = envRedisUrl(env);
  const demoHost = envHost(env) ?? '127.0.0.1';
  // Demo mode has no clients: every caller is an admin. Reachable from other machines only on purpose.
  if (demo && !isLoopbackHost(demoHost) && options.demoPublic !== true) {
    throw new ConfigError([
      `HOST=${demoHost}: demo mode serves an anonymous admin (every caller may create, restore and delete backups), so it listens on loopback only; pass --demo-public to listen on ${demoHost} anyway, or run with --config`,
    ]);
  }
  // Said rather than ignored: alone it started the demo on loopback (nothing public), dropping
  // only its loopback-names guard (DNS rebinding); with a config it changed nothing.
  if (options.demoPublic === true && !demo) {
    throw new ConfigError(['--demo-public is for demo mode (no config): with --config, the config says who may call (clients, allowAnonymous) and listen.host or HOST where it listens; leave --demo-public out']);
  }
  if (options.demoPublic === true && isLoopbackHost(demoHost)) {
    throw new ConfigError([
      `--demo-public lets demo mode listen on a non-loopback HOST, and HOST is ${envHost(env) === undefined ? 'unset (127.0.0.1)' : demoHost}: set the address with it, e.g. HOST=0.0.0.0 npm start -- --demo-public (on a trusted network only), or leave --demo-public out`,
    ]);
  }
  let config: GatewayConfig;
  let stopDemo = async () => {};
  let simulatorsLine = '';
  if (demo) {
    // Only demo mode loads the simulators: the production import graph has none.
    const { startDemo } = await import('./demo.js');
    const environment = await startDemo({ port: envPort(env) ?? 4000, host: demoHost, simulator: { latencyMs: demoLatencyMs(env) } });
    config = environment.config;
    stopDemo = environment.stop;
    simulatorsLine = `; Simulators: ${environment.simulators.map((simulator) => `${simulator.kind} ${simulator.url}`).join(', ')}`;
  } else {
    const loaded = loadConfigFile(configFile, env, options.configFromEnv);
    const portProblem = sharedPortProblem(loaded, { port: envPort(env), host: envHost(env) });
    if (portProblem) throw new ConfigError([portProblem]);
    config = listenOverrides(loaded, env);
  }
  config = shutdownOverrides(config, env);
  const terminal = process.stdout.isTTY === true;
  const logger = createLogger(envLogLevel(env) ?? config.logLevel, undefined, { format: chooseLogFormat(env, terminal), colorize: terminal });
  onStdoutResumed((dropped) => logger.warn({ dropped, droppedTotal: boundedStdout().droppedTotal() }, `log lines dropped: standard output's reader fell ${STDOUT_MAX_BUFFERED_BYTES / 1024 / 1024} MiB behind`));
  const logLevelNames = logLevelLookalikes(env);
  if (logLevelNames.length > 0) logger.warn({ setting: 'LOG_LEVEL' }, logLevelLookalikeWarning(logLevelNames));
  // Named by account and key, never by value (`key` itself is a redacted log field).
  for (const found of variableLookalikes(config, env)) logger.warn({ setting: found.path }, variableLookalikeWarning(found));
  for (const secret of shortSecrets(config)) logger.warn({ provider: secret.provider, setting: secret.setting }, shortSecretWarning(secret));
  for (const secret of secretEdgeSpaces(config)) logger.warn({ provider: secret.provider, setting: secret.setting }, secretEdgeSpaceWarning(secret));
  for (const account of defaultTimezones(config)) logger.warn({ provider: account.provider, setting: 'timezone' }, defaultTimezoneWarning(account));
  for (const found of loginHoldsWithoutLogin(config)) logger.warn({ provider: found.provider, setting: 'refusedLoginHeldMs' }, loginHoldWithoutLoginWarning(found));
  const smallBudget = smallAnswerBudget(config);
  if (smallBudget) logger.warn({ setting: 'limits.maxAnswerBytesHeld' }, smallBudget);
  for (const account of shortAnswerDeadlines(config)) logger.warn({ provider: account.provider, setting: 'limits.answerDeadlineMs' }, shortAnswerDeadlineWarning(account));
  // REDIS_URL_FILE and the config's NAME_FILEs, all read by now.
  for (const file of takeLooseSecretFiles()) logger.warn({ setting: file.variable, mode: file.mode }, looseSecretFileWarning(file));
  if (redisUrl) phases?.enter('connecting to Redis');
  // The variable the URL came from, named by the start's Redis errors and the connection lines while running.
  const redisUrlSetting = envRedisUrlSetting(env);
  const store = await createStore(redisUrl, logger, redisUrlSetting);
  // With Redis, replicas share one poll loop per operation (a lease) and fan its statuses out.
  // Imported only then: a gateway without Redis never pays ioredis's load time and memory.
  const operationBus = redisUrl ? await (await import('../cluster/redis-operation-bus.js')).createRedisOperationBus(redisUrl, logger, redisUrlSetting) : undefined;
  // Demo mode's anonymous admin on loopback answers loopback names only (DNS rebinding); --demo-public lifts it.
  const loopbackNamesOnly = demo && options.demoPublic !== true;
  phases?.enter('opening the listeners');
  const server = await startGatewayServer(config, { logger, store, adminRoutesOnMainPort: demo, loopbackNamesOnly, anonymousAtAnyHost: demo, ...(operationBus ? { operationBus } : {}) });
  // Handed over in one synchronous step: no signal falls between the two handlers.
  try {
    phases?.started();
  } catch (error) {
    // Stopped while the listeners opened: nothing is served until the stop's exit.
    void server.stopServing();
    throw error;
  }
  const gracefulStop = exitOnSignals({
    logger,
    drainTimeoutMs: config.shutdown.drainTimeoutMs,
    echoMs: echoMs(env),
    // Bounded: a reader that has stopped must not hold the exit (the lines are lost, as they would be to a dead reader).
    flushLogs: () => boundedStdout().flushed(LOG_FLUSH_AT_EXIT_MS),
    // Serving stops first, so nothing runs after the cut mutations' audit lines (the exit then waits up to 1 s for stdout).
    // A mutation cut by an exit that does not wait may have acted: its audit line is written first.
    abandon: async () => {
      const stopped = server.stopServing();
      void server.services.mutationsRunning.auditCut();
      await stopped;
    },
    // /readyz turns 503 for the grace first (a balancer takes the replica out),
    // then server.close() stops taking requests, closes subscriptions (1001) while those in
    // flight finish, then the upstream pools and the store (Redis).
    steps: [
      { name: 'gateway', run: () => shutdownGateway(server, config.shutdown.readyzGraceMs) },
      { name: 'simulators', run: stopDemo },
    ],
  });
  // From here a library's stray rejection or throw is logged, scrubbed and counted, not node's exit on the spot.
  watchProcessFaults({ logger, record: server.faultRecord, drainAfterFault: gracefulStop.drainAfterFault });
  // The banner is a log event like any other: a JSON log pipeline never meets a line it cannot parse.
  logger.info(
    // build: which replicas of a rollout run the new build, from the log alone (backup_graph_build_info's label).
    { url: server.graphqlUrl, listen: server.listen, adminUrl: server.adminUrl, adminListen: server.adminListen, providers: config.providers.map((provider) => provider.id), demo, build: BUILD_ID },
    `Backup Graph ${demo ? 'DEMO MODE (simulated providers; every caller is an anonymous admin)' : 'ready'}; ${server.listening}; GraphiQL: ${server.graphqlUrl}${simulatorsLine}`,
  );
}
