import { parseArgs } from 'node:util';
import { npmTookMessage, optionNpmTook } from './npm-swallowed-options.js';
import { closestKey, distance } from './config/did-you-mean.js';
import { nodeOptionGiven, nodeOptionMessage } from './node-option-given.js';
import { envOptionMessage, envOptionNpmTook } from './env-option-given.js';

/**
 * The usage text. The providers it names come from schema.graphql's
 * `enum ProviderKind` (which test/unit/provider-registry.test.ts keeps equal to
 * the registry), read as text: --help must load neither the registry nor graphql.
 */
export const usage = (schemaText: string): string => `Backup Graph: one GraphQL API over VM backups at ${joinNames(providerNames(schemaText))}.

Usage: npm start -- [options]

  (no options)          demo mode: every provider's simulator on loopback, seeded
  --demo-public         let demo mode listen on a non-loopback HOST, set beside it (it serves an anonymous admin)
  --config FILE         run against the providers FILE names (or BACKUP_GRAPH_CONFIG=FILE)
  --check-config FILE   validate FILE, and the variables the start reads beside it (PORT, HOST, LOG_LEVEL, LOG_FORMAT,
                        REDIS_URL or REDIS_URL_FILE, DRAIN_TIMEOUT_MS, SHUTDOWN_READYZ_GRACE_MS), and exit (0 valid, 2 invalid)
  --print-schema        print the GraphQL schema (SDL) and exit
  --simulators          start only the provider simulators (seeded, on loopback) and print a config file for them
  --help, -h            this text

Environment: PORT, HOST override listen.port/listen.host; REDIS_URL (or the file
REDIS_URL_FILE names) puts shared state in Redis; LOG_LEVEL (info by default; LOGLEVEL, log_level and the like are warned of, never read); LOG_FORMAT=pretty|json (pretty on
a terminal, JSON otherwise); DRAIN_TIMEOUT_MS and SHUTDOWN_READYZ_GRACE_MS
override shutdown.drainTimeoutMs/readyzGraceMs; BACKUP_GRAPH_CONFIG names the
config file; DEMO_LATENCY_MS adds latency to the demo simulators. \${NAME} in
the config file reads NAME, or the file NAME_FILE names (one trailing newline removed); a
secret file others may read is warned of, unless it is in systemd's CREDENTIALS_DIRECTORY.
An annotated config with every key: backup-graph.example.yaml.`;

/**
 * Each `enum ProviderKind` value's display name: its description up to the
 * first "(", "," or "." ("Danube Cloud (Erigones), ..." gives "Danube Cloud"),
 * or the value itself when it has no description.
 */
export function providerNames(schemaText: string): string[] {
  const body = /enum ProviderKind\s*\{([^}]*)\}/.exec(schemaText)?.[1] ?? '';
  return [...body.matchAll(/(?:"([^"]*)"\s*)?\b([A-Z][A-Z0-9_]*)\b/g)].map(([, description, value]) => description?.split(/[(,.]/)[0]?.trim() || value!);
}

const joinNames = (names: string[]): string => (names.length < 2 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`);

export type Command =
  | { kind: 'help' }
  | { kind: 'print-schema' }
  | { kind: 'check-config'; file: string }
  | { kind: 'simulators' }
  | { kind: 'serve'; configFile: string | null; demoPublic: boolean; configFromEnv?: typeof CONFIG_VARIABLE };

/** The variable naming the config file when --config does not. */
export const CONFIG_VARIABLE = 'BACKUP_GRAPH_CONFIG';

/** Parses argv; an unknown option is an error (exit code 2), not a surprise at run time. */
export function parseCommand(argv: string[], env: NodeJS.ProcessEnv): Command {
  const swallowed = optionNpmTook(env);
  if (swallowed !== null) throw new Error(npmTookMessage(swallowed));
  const settingNpmTook = envOptionNpmTook(argv, env);
  if (settingNpmTook !== null) throw new Error(settingNpmTook);
  const { values } = parseOptions(argv);
  if (values.help) return { kind: 'help' };
  // Refused as beside --check-config: dropped unsaid, a newcomer took it to have done something.
  if (values['demo-public'] === true && values['print-schema']) throw new Error(demoPublicBeside('--print-schema prints the schema and exits'));
  if (values['demo-public'] === true && values.simulators) throw new Error(demoPublicBeside('--simulators starts the provider simulators alone and prints a config for them (npm start -- --config FILE serves it)'));
  if (values['print-schema']) return { kind: 'print-schema' };
  if (values['check-config'] !== undefined) {
    // Refused as `--config FILE --demo-public` is (serve.ts): accepted here, it was said valid, exit 0.
    if (values['demo-public'] === true) throw new Error(DEMO_PUBLIC_WITH_CHECK_CONFIG);
    // Checked alone, the other file went unsaid: a newcomer took `--config A --check-config B` to have checked A.
    if (values.config !== undefined && values.config !== values['check-config']) throw new Error(twoConfigFiles(values.config, values['check-config']));
    return { kind: 'check-config', file: values['check-config'] };
  }
  if (values.simulators) return { kind: 'simulators' };
  const fromEnv = values.config === undefined && Boolean(env.BACKUP_GRAPH_CONFIG);
  const configFile = values.config ?? (env.BACKUP_GRAPH_CONFIG || null);
  if (configFile === null) {
    const misspelt = misspeltConfigVariable(env);
    if (misspelt !== null) throw new Error(`${misspelt} is set, but the gateway reads BACKUP_GRAPH_CONFIG: rename it (or unset it for demo mode); not starting the demo in place of your config`);
  }
  // Said where the file was named: a file that cannot be read is then told by the variable's name.
  return { kind: 'serve', configFile, demoPublic: values['demo-public'] === true, ...(fromEnv ? { configFromEnv: CONFIG_VARIABLE } : {}) };
}

const twoConfigFiles = (served: string, checked: string): string =>
  `--config ${served} and --check-config ${checked} name two files, and one command runs: to check a file, npm start -- --check-config FILE (exit 0 valid, 2 invalid); to serve one, npm start -- --config FILE`;

const demoPublicBeside = (whatItDoes: string): string => `--demo-public is for demo mode: ${whatItDoes}; leave --demo-public out`;

const DEMO_PUBLIC_WITH_CHECK_CONFIG =
  '--demo-public is for demo mode (no config): --check-config checks a config, whose clients and allowAnonymous say who may call and listen.host or HOST where it listens; leave --demo-public out';

const OPTIONS = {
  config: { type: 'string' },
  'check-config': { type: 'string' },
  'print-schema': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  'demo-public': { type: 'boolean' },
  simulators: { type: 'boolean' },
} as const;

const OPTION_LIST = '--config FILE, --check-config FILE, --print-schema, --simulators, --demo-public, --help (-h)';

const optionName = (written: string): string => written.replace(/^-+/, '').split('=')[0] ?? '';

/**
 * parseArgs, with its refusals saying what to type instead: node's own
 * "Unknown option '--check-confg'" and "does not take positional arguments"
 * left a newcomer to find the right spelling in the usage below it.
 */
function parseOptions(argv: string[]) {
  try {
    return parseArgs({ args: argv, options: OPTIONS, strict: true, allowPositionals: false });
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      // node reads `-help` as -h -e -l -p and names the first letter it does not know ("Unknown option '-e'").
      const oneDash = argv.find((argument) => /^-[^-]{2,}/.test(argument));
      const oneDashMeant = oneDash === undefined ? null : closestKey(optionName(oneDash), Object.keys(OPTIONS));
      if (oneDash !== undefined && oneDashMeant !== null) throw new Error(`unknown option ${oneDash.split('=')[0]}: the gateway's options take two dashes: --${oneDashMeant}`);
      // Before the near misses: an option named as a variable the start reads meant that variable.
      const inEnvironment = envOptionMessage(argv);
      if (inEnvironment !== null) throw new Error(inEnvironment);
      const option = /'(-[^']*)'/.exec((error as Error).message)?.[1];
      const meant = option === undefined ? null : closestKey(optionName(option), Object.keys(OPTIONS));
      if (option !== undefined && meant !== null) throw new Error(`unknown option ${option}: did you mean --${meant}?`);
      const nodeOption = argv.find((argument) => argument.split('=')[0] === option && nodeOptionGiven(argument));
      if (nodeOption !== undefined) throw new Error(nodeOptionMessage(nodeOption));
      if (option !== undefined) throw new Error(`unknown option ${option}: the gateway's options are ${OPTION_LIST}`);
    }
    // `--config $CONFIG` with CONFIG unset reaches us as a bare --config: node said "Option '--config <value>' argument missing".
    const valueless = code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' ? /^Option '(--[\w-]+) <value>' argument missing/.exec((error as Error).message)?.[1] : undefined;
    if (valueless !== undefined) throw new Error(`${valueless} needs a file after it, e.g. npm start -- ${valueless} backup-graph.yaml (was it given as a shell variable that is not set?)`);
    // node: "Option '--print-schema' does not take an argument".
    const valued = code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' ? /^Option '(--[\w-]+)' does not take an argument/.exec((error as Error).message)?.[1] : undefined;
    const given = valued === undefined ? undefined : argv.find((argument) => argument.startsWith(`${valued}=`))?.slice(valued.length);
    if (valued !== undefined) throw new Error(`${valued} takes no value${given === undefined ? '' : ` (it was given ${given})`}, e.g. npm start -- ${valued}`);
    if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
      const argument = /'([^']*)'/.exec((error as Error).message)?.[1] ?? 'FILE';
      const after = flagBefore(argv, argument);
      if (after !== null) throw new Error(`unexpected argument ${argument}: ${after} takes none, e.g. npm start -- ${after}`);
      throw new Error(`unexpected argument ${argument}: a config file is named by an option, e.g. npm start -- --config ${argument} (or --check-config ${argument})`);
    }
    throw error;
  }
}

/**
 * The option that takes no value (--print-schema, -h) written just before the first stray argument,
 * or null: `--print-schema extra` was answered "a config file is named by an option, e.g. --config extra".
 */
function flagBefore(argv: string[], stray: string): string | null {
  const { tokens } = parseArgs({ args: argv, options: OPTIONS, strict: false, allowPositionals: true, tokens: true });
  const at = tokens.findIndex((token) => token.kind === 'positional' && token.value === stray);
  const before = at > 0 ? tokens[at - 1] : undefined;
  if (before?.kind !== 'option' || before.inlineValue === true) return null;
  const option = OPTIONS[before.name as keyof typeof OPTIONS] as { type: string } | undefined;
  return option?.type === 'boolean' ? before.rawName : null;
}

/**
 * A variable that looks meant as BACKUP_GRAPH_CONFIG (two edits away at most, any case), when that
 * one is unset: a typo in a deployment's environment started demo mode (simulated providers, an
 * anonymous admin) in place of the config, with nothing said but the banner.
 */
function misspeltConfigVariable(env: NodeJS.ProcessEnv): string | null {
  return Object.keys(env).find((name) => name !== 'BACKUP_GRAPH_CONFIG' && env[name] && distance(name.toUpperCase(), 'BACKUP_GRAPH_CONFIG') <= 2) ?? null;
}
