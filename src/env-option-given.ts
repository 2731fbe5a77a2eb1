import { mayQuoteEnvValue } from './config/env-value-shown.js';

/**
 * A setting the gateway reads from the environment, given as an option after `--`
 * (`npm start -- --port 4001`, `--log-level debug`): the gateway listed its own options, and a
 * newcomer tried `--loglevel`, `--verbose` next. Said with the command to type instead.
 */

/** The variables the start reads (src/cli.ts --help), which people also write as options. */
const READ_FROM_ENVIRONMENT = ['PORT', 'HOST', 'LOG_LEVEL', 'LOG_FORMAT', 'REDIS_URL', 'DRAIN_TIMEOUT_MS', 'SHUTDOWN_READYZ_GRACE_MS', 'DEMO_LATENCY_MS'] as const;

/** Whose values may hold a password (`redis://:pw@host`): never repeated, whatever their form. */
const MAY_HOLD_A_SECRET = new Set<string>(['REDIS_URL']);

const squashed = (name: string): string => name.replace(/[-_]/g, '').toLowerCase();

/** The variable an option written as `--log-level`, `--LOGLEVEL=x` or `--log_level` names, or null. */
export function variableOfOption(written: string): string | null {
  if (!written.startsWith('--')) return null;
  const name = squashed(written.slice(2).split('=')[0] ?? '');
  return READ_FROM_ENVIRONMENT.find((variable) => squashed(variable) === name) ?? null;
}

interface Setting {
  option: string;
  variable: string;
  value: string | undefined;
}

/** Each such option with its value (`--port=4001`, or `--port 4001`), and the arguments left. */
function splitArguments(argv: string[]): { settings: Setting[]; rest: string[] } {
  const settings: Setting[] = [];
  const rest: string[] = [];
  for (let at = 0; at < argv.length; at++) {
    const written = argv[at]!;
    const variable = variableOfOption(written);
    if (variable === null) {
      rest.push(written);
      continue;
    }
    const equals = written.indexOf('=');
    const next = argv[at + 1];
    const value = equals >= 0 ? written.slice(equals + 1) : next !== undefined && !next.startsWith('-') ? next : undefined;
    if (equals < 0 && value !== undefined) at++;
    settings.push({ option: written.split('=')[0]!, variable, value });
  }
  return { settings, rest };
}

const shownValue = ({ variable, value }: Setting): string =>
  value !== undefined && !MAY_HOLD_A_SECRET.has(variable) && mayQuoteEnvValue(value) ? value : '<value>';

/** An argument as a shell reads it back: as written where it needs no quotes. */
const shellWord = (argument: string): string => (/^[\w./:@=+,-]+$/.test(argument) ? argument : `'${argument.replaceAll("'", `'\\''`)}'`);

/** The gateway's options that take a file: the file's name is the person's own line, kept. */
const TAKES_A_FILE = new Set(['--config', '--check-config']);

/**
 * The other arguments as the line shows them: an option's name and a config file's name as
 * written, any other value as `<value>`. They were all repeated, so a secret given to another
 * option (`--redis-password pw`, `--reddis-url=redis://:pw@host`) went to the terminal or CI log.
 */
function shownRest(rest: string[]): string[] {
  return rest.map((argument, at) => {
    if (TAKES_A_FILE.has(rest[at - 1] ?? '')) return shellWord(argument);
    const [name = '', ...value] = argument.split('=');
    if (!/^--?[\w-]+$/.test(name)) return '<value>';
    if (value.length === 0) return name;
    return TAKES_A_FILE.has(name) ? shellWord(argument) : `${name}=<value>`;
  });
}

/** The line to type: each setting as its variable, then npm start with the other arguments. */
function commandLine(settings: Setting[], rest: string[]): string {
  const assignments = settings.map((setting) => `${setting.variable}=${shownValue(setting)}`).join(' ');
  return `${assignments} ${rest.length === 0 ? 'npm start' : `npm start -- ${shownRest(rest).join(' ')}`}`;
}

/** What to tell the person, or null when no option names such a variable. */
export function envOptionMessage(argv: string[]): string | null {
  const { settings, rest } = splitArguments(argv);
  const first = settings[0];
  if (first === undefined) return null;
  return `unknown option ${first.option}: the gateway reads it from the environment, as ${first.variable}, not as an option: ${commandLine(settings, rest)}`;
}

/**
 * Such a setting given before `--`, which npm keeps (`npm_config_port`): `npm start --port 4001`
 * handed the gateway `4001` alone ("unexpected argument 4001: ... --config 4001"), and
 * `--port=4001` started the demo on 4000. Exact names only: npm's own `loglevel` is not LOG_LEVEL's.
 */
export function envOptionNpmTook(argv: string[], env: NodeJS.ProcessEnv): string | null {
  const settings = READ_FROM_ENVIRONMENT.flatMap((variable): Setting[] => {
    const value = env[`npm_config_${variable.toLowerCase()}`];
    return value === undefined ? [] : [{ option: `--${variable.toLowerCase().replaceAll('_', '-')}`, variable, value: value === 'true' ? undefined : value }];
  });
  const first = settings[0];
  if (first === undefined) return null;
  // Written with a space, npm read each as a flag and passed the values on as the first arguments: one
  // is shown as that setting's; of several, which is whose is not told, so they are left out.
  const valueOnward = settings.filter((setting) => setting.value === undefined);
  const values = argv.slice(0, valueOnward.length);
  const valuesPassed = values.length === valueOnward.length && values.every((argument) => !argument.startsWith('-'));
  const rest = valuesPassed ? argv.slice(valueOnward.length) : [...argv];
  if (valuesPassed && valueOnward.length === 1) valueOnward[0]!.value = values[0];
  return `npm took ${first.option} as its own option (it came before --), so it never reached the gateway, which reads it from the environment, as ${first.variable}, not as an option: ${commandLine(settings, rest)}`;
}
