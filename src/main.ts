import { parseCommand, usage, type Command } from './cli.js';
import { ConfigError } from './config/config-error.js';
import type { GatewayConfig } from './config/schema.js';
import { readSchemaText } from './graphql/schema-file.js';
import { EXIT_CONFIG, startRefusal } from './start-refusal.js';
import { EXIT_STOPPED_WHILE_STARTING, stoppedWhileStartingLine, watchStartSignals, type StartPhase, type StopSignal } from './start-signals.js';
import { applyV8Settings } from './v8-settings.js';

// Only `serve` loads the server (Apollo, express, the providers), and only
// --check-config the config schema: the other commands answer at once.

/** Set once the command is `serve`: only a refused start of the server is a log event as well. */
let serving = false;

/** Set when serving without a config: a port in use is then changed with PORT alone. */
let demo = false;

/** Set by a stop signal during the start: a start failing meanwhile (Redis giving up) is not reported as a failure; the stop exits. */
let stoppedWhileStarting = false;

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
      const { variableLookalikes, variableLookalikeWarning } = await import('./config/variable-lookalikes.js');
      const { defaultTimezones, defaultTimezoneWarning } = await import('./config/default-timezone.js');
      const { loginHoldsWithoutLogin, loginHoldWithoutLoginWarning } = await import('./config/login-hold-without-login.js');
      const { secretEdgeSpaces, secretEdgeSpaceWarning } = await import('./config/secret-edge-spaces.js');
      const { smallAnswerBudget } = await import('./config/small-answer-budget.js');
      const { shortAnswerDeadlines, shortAnswerDeadlineWarning } = await import('./config/short-answer-deadline.js');
      const { looseSecretFileWarning, takeLooseSecretFiles } = await import('./config/secret-file-modes.js');
      const { logLevelLookalikes, logLevelLookalikeWarning } = await import('./config/log-level-lookalikes.js');
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
      const { sharedPortProblem } = await import('./config/shared-port.js');
      const { envPort } = await import('./config/env-numbers.js');
      const { envHost } = await import('./config/listen-host.js');
      const portProblem = sharedPortProblem(config, { port: envPort(process.env), host: envHost(process.env) });
      if (portProblem) throw new ConfigError([portProblem]);
      // Warnings go to stderr, like the problems; the file is still valid (exit 0).
      const smallBudget = smallAnswerBudget(config);
      const logLevelNames = logLevelLookalikes(process.env);
      const warnings = [
        ...(logLevelNames.length > 0 ? [logLevelLookalikeWarning(logLevelNames)] : []),
        ...variableLookalikes(config, process.env).map(variableLookalikeWarning),
        ...shortSecrets(config).map(shortSecretWarning),
        ...secretEdgeSpaces(config).map(secretEdgeSpaceWarning),
        ...defaultTimezones(config).map(defaultTimezoneWarning),
        ...loginHoldsWithoutLogin(config).map(loginHoldWithoutLoginWarning),
        ...(smallBudget === null ? [] : [smallBudget]),
        ...shortAnswerDeadlines(config).map(shortAnswerDeadlineWarning),
        ...takeLooseSecretFiles().map(looseSecretFileWarning),
      ];
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
      serving = true;
      demo = command.configFile === null;
      applyV8Settings(process.execArgv);
      // Before the server's code loads: a signal from here until the drain's handlers are in place is said, not silent.
      const phases = watchStartSignals((signal, phase) => void stopWhileStarting(signal, phase), 'loading the server code');
      const { serve } = await import('./server/serve.js');
      await serve(command.configFile, process.env, { demoPublic: command.demoPublic, phases, ...(command.configFromEnv ? { configFromEnv: command.configFromEnv } : {}) });
    }
  }
}

/** The stop a signal asked for before the gateway was up: its line on stderr (and as a JSON event), then the exit. */
async function stopWhileStarting(signal: StopSignal, phase: StartPhase): Promise<void> {
  stoppedWhileStarting = true;
  const line = stoppedWhileStartingLine(signal, phase);
  process.stderr.write(`${line}\n`);
  try {
    const { logStartStopped } = await import('./server/start-refusal-log.js');
    await logStartStopped(line, { signal, phase, exitCode: EXIT_STOPPED_WHILE_STARTING }, process.env, process.stdout.isTTY === true);
  } finally {
    process.exit(EXIT_STOPPED_WHILE_STARTING);
  }
}

main().catch(async (error: unknown) => {
  if (stoppedWhileStarting) return;
  const refusal = startRefusal(error, { demo });
  process.stderr.write(`${refusal.lines.join('\n')}\n`);
  try {
    // Loaded only now: --help and --check-config load no logger (test/server/cli.test.ts).
    if (serving) await (await import('./server/start-refusal-log.js')).logStartRefusal(refusal, process.env, process.stdout.isTTY === true);
  } finally {
    // The exit code says what happened, whatever became of the log line.
    process.exit(refusal.exitCode);
  }
});
