import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import { withAccountLabels } from './account-labels.js';
import { ConfigError } from './config-error.js';
import { entryKeyAtTop } from './entry-keys-at-top.js';
import { urlWithScheme } from './url-without-scheme.js';
import { notFoundHints, shownConfigPath } from './config-file-path.js';
import { crossCheckConfig } from './cross-checks.js';
import { isPlainWord, USABLE_ID } from './usable-id.js';
import { envValue } from './env-secret-files.js';
import { withPortVariable } from './admin-port-variable.js';
import { portFromReference, portReferenceName } from './port-references.js';
import { closestKey, unknownKeyMessage } from './did-you-mean.js';
import { misplacedSettingHint, settingNamed } from './setting-names.js';
import { nearVariable } from './near-variable.js';
import { textWhereNumberGoes } from './text-where-number-goes.js';
import { numberWithUnitProblem } from './number-with-unit.js';
import { plainIssueWords } from './plain-issue-words.js';
import { providerKindProblem } from './provider-kind-problem.js';
import { withDerivedAnswerDeadline } from './derived-answer-deadline.js';
import { configSchema, type GatewayConfig } from './schema.js';
import { withShutdownEnv } from './shutdown-env.js';
import { notUtf8TextProblem } from './not-utf8-text.js';
import { STRAY_BYTE_ORDER_MARK, strayByteOrderMarkLine } from './stray-byte-order-mark.js';
import { type KeyLine, parseConfigYaml, yamlProblem } from './yaml-problem.js';

// Its own module so main.ts can recognise it without loading zod and yaml.
export { ConfigError } from './config-error.js';

/**
 * `providers[2].auth.password`. A perProvider key is a provider id written by hand: one not of an
 * id's form may be a secret put in the wrong place, and its value's problem (or its missing
 * `${NAME}`) quoted it in the path.
 */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  path.forEach((part, index) => {
    if (index === 2 && path[0] === 'protection' && path[1] === 'perProvider' && !(typeof part === 'string' && USABLE_ID.test(part))) out += UNQUOTED_PROVIDER_KEY;
    else out += typeof part === 'number' ? `[${part}]` : out === '' ? String(part) : `.${String(part)}`;
  });
  return out === '' ? '(root)' : out;
}
const UNQUOTED_PROVIDER_KEY = ' (a key not of an id\'s form, not quoted: it may be a secret)';

/**
 * Replaces `${NAME}` in every string value, from NAME or the file NAME_FILE
 * names (env-secret-files.ts); a missing variable is a problem
 * naming its key path (and the path goes into `missing`, when given, so
 * validation does not report the same key a second time as empty).
 */
export function substituteEnv(value: unknown, env: NodeJS.ProcessEnv, problems: string[], path: PropertyKey[] = [], missing?: Set<string>, shellStyle?: Map<string, string>): unknown {
  if (typeof value === 'string') {
    // The shell's `$NAME` without braces was taken as it stands: a client key then read "must be
    // at least 16 characters", a provider secret went out as the literal text. Refused only where
    // the variable exists, so a literal secret that merely starts with $ still passes.
    const bare = /^\$([A-Za-z_][A-Za-z0-9_]*)$/.exec(value)?.[1];
    if (bare !== undefined && (env[bare] !== undefined || env[`${bare}_FILE`] !== undefined)) {
      problems.push(`${formatPath(path)}: $${bare} is taken as it stands, not read from the environment: write "\${${bare}}"`);
      missing?.add(formatPath(path));
      return '';
    }
    // Where NAME is not set either, the value passes as text; should validation refuse it, its
    // problem says why it was text (a `$DASHBOARD_KEY` left unset read "must be at least 16 characters").
    if (bare !== undefined) shellStyle?.set(formatPath(path), bare);
    const portName = portReferenceName(formatPath(path), value);
    if (portName !== undefined) return portFromEnv(portName, env, problems, path, missing);
    return value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_match, name: string) => {
      const found = envValue(name, env);
      if (found === undefined || 'problem' in found) {
        problems.push(`${formatPath(path)}: ${found?.problem ?? notSet(name, path, env)}`);
        missing?.add(formatPath(path));
        return '';
      }
      return found.value;
    });
  }
  if (Array.isArray(value)) return value.map((item, index) => substituteEnv(item, env, problems, [...path, index], missing, shellStyle));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, substituteEnv(item, env, problems, [...path, key], missing, shellStyle)]));
  }
  return value;
}

/** A variable's name as deployments write it: DASHBOARD_KEY, ZOMRO_TOKEN_2. */
const VARIABLE_FORM = /^[A-Z][A-Z0-9_]*$/;

/**
 * A `${NAME}` whose variable is not set, naming it where it has a variable's form: a token
 * pasted between the braces (`"${sk_live_...}"`, meant as the value) was quoted whole. Where a
 * secret goes, only an UPPER_CASE name is: a password of lowercase letters or words
 * (`"${correct_horse}"`) has a plain word's form, and a variable there is named in capitals.
 */
function notSet(name: string, path: PropertyKey[], env: NodeJS.ProcessEnv): string {
  if (!isPlainWord(name) || (!VARIABLE_FORM.test(name) && SECRET_PATH.test(formatPath(path)))) return NOT_SET_UNNAMED;
  // A name that may be a secret is held up against no variable's name, not even to say none is near.
  const near = nearVariable(name, env);
  return `environment variable ${name} is not set${near === undefined ? '' : ` (${near})`}: set it, or set ${name}_FILE to a file that holds the value`;
}
const NOT_SET_UNNAMED = 'the environment variable its ${...} names is not set (the name is not quoted: it is not of a variable\'s form, such as DASHBOARD_KEY, and may be a secret written in the braces: write the secret itself, or set a variable and name it there)';

/** A listener's port from `${NAME}`: NAME's value as a number, or a problem naming the key and the variable. */
function portFromEnv(name: string, env: NodeJS.ProcessEnv, problems: string[], path: PropertyKey[], missing?: Set<string>): number | string {
  const found = envValue(name, env);
  const port = found === undefined || 'problem' in found ? { problem: `${formatPath(path)}: ${found?.problem ?? notSet(name, path, env)}` } : portFromReference(formatPath(path), name, found.value, env[name] === undefined);
  if (typeof port === 'number') return port;
  problems.push(port.problem);
  missing?.add(formatPath(path));
  return '';
}

/**
 * Where an unknown key may be a secret itself: a credential left in braces without its key
 * (`auth: { sim-zomro-token-3f9a1c }`, a client's `{ name: ci, <its key>, roles: [...] }`, an
 * account's `{ id: lab, kind: zomro, url: ..., <its token> }` with `auth:` cut away) is in
 * YAML a key with no value, and its path quoted it whole.
 */
const SECRET_HOLDER = /^(clients\[\d+\]|providers\[\d+\](?:\.auth)?)$/;
const unquotedKey = (where: string): string => `a key with no value, not quoted (${where}it may be a secret written without its key)`;
/** A hint that names the key meant: the key is then a near typo of a setting's name, no secret. */
const NEAR_A_KNOWN_KEY = /^unknown key(?: here| at the top level|; did you mean)/;
const unquotedOddKey = (where: string): string => `an unknown key, not quoted (${where}it is not of a setting's form and may be a secret written as a key: delete that line, or put the value under its key)`;
/**
 * Which line an unquoted key is on: two such keys in one section read as one problem, the
 * same words twice. Where no line is known (a config not read from a file, a key merged in by
 * `<<`), its place among the section's unknown keys.
 */
function unquotedKeyPlace(line: number | undefined, index: number, count: number): string {
  if (line !== undefined) return `line ${line}: `;
  return count > 1 ? `the ${ordinal(index + 1)} of ${count} unknown keys here: ` : '';
}
const ordinal = (n: number): string => `${n}${n % 10 === 1 && n % 100 !== 11 ? 'st' : n % 10 === 2 && n % 100 !== 12 ? 'nd' : n % 10 === 3 && n % 100 !== 13 ? 'rd' : 'th'}`;

/**
 * Each unknown key on a line of its own, with the key in its path and the key it most likely meant;
 * one with no value where a secret is written is named by where it is, not by itself.
 */
function describeIssue(issue: z.core.$ZodIssue, input: unknown, keyLine?: KeyLine): string[] {
  if (issue.code === 'unrecognized_keys') {
    const hints = issue.message.split('\n');
    const holder = formatPath(issue.path);
    const written = SECRET_HOLDER.test(holder) ? valueAt(input, issue.path) : undefined;
    return issue.keys.map((key, index) => {
      const hint = hints[index] ?? 'unknown key';
      const where = (): string => unquotedKeyPlace(keyLine?.(issue.path, key), index, issue.keys.length);
      if (written !== undefined && written[key] == null) return `${holder}: ${hint.replace(/^unknown key/, unquotedKey(where()))}`;
      // Anywhere else too (top level, listen:, limits:, clients' entries), a token pasted on a line of its own is a key.
      if (!isPlainWord(key) && settingNamed(key) === undefined && !NEAR_A_KNOWN_KEY.test(hint)) return `${holder}: ${hint.replace(/^unknown key/, unquotedOddKey(where()))}`;
      return `${formatPath([...issue.path, key])}: ${hint}`;
    });
  }
  const withScheme = issue.message.startsWith(NO_SCHEME_WORDS) && ACCOUNT_URL.test(formatPath(issue.path)) ? urlWithScheme(valueAt(input, issue.path.slice(0, -1))?.url) : undefined;
  if (withScheme !== undefined) return [`${formatPath(issue.path)}: must be an http(s) URL, its scheme first: ${withScheme} (or http:// for an API without TLS)`];
  return [`${formatPath(issue.path)}: ${issue.message}`];
}

/** An account url's refusal that shows an example, not the url written (src/providers/config-base.ts). */
const NO_SCHEME_WORDS = 'must be an http(s) URL, such as';
const ACCOUNT_URL = /^providers\[\d+\]\.url$/;

/** The object written at `path` in the config, or undefined. */
function valueAt(input: unknown, path: ReadonlyArray<PropertyKey>): Readonly<Record<PropertyKey, unknown>> | undefined {
  let value = input;
  for (const step of path) value = value !== null && typeof value === 'object' ? (value as Record<PropertyKey, unknown>)[step] : undefined;
  return value !== null && typeof value === 'object' ? (value as Record<PropertyKey, unknown>) : undefined;
}

/**
 * The strict objects' own keys are known where the issue is raised: the hint is made there.
 * A key left out is "required" (zod's own words, "expected array, received undefined", read
 * as a wrong value to someone whose file simply lacks the key).
 */
const errorMap: z.core.$ZodErrorMap = (issue) => {
  if (issue.code === 'invalid_type' && issue.input === undefined) return 'required';
  // zod's 'Invalid option: expected one of "viewer"|"operator"|"admin"', in the words the other checks use.
  if (issue.code === 'invalid_value' && issue.values.length > 1 && issue.values.every((value) => typeof value === 'string')) return `must be one of ${issue.values.join(', ')}${inAnotherCase(issue.values, issue.input)}`;
  // "expected number, received string" left `port: "${PORT}"` unexplained: substitution fills strings only.
  if (issue.code === 'invalid_type' && (issue.expected === 'number' || issue.expected === 'boolean') && typeof issue.input === 'string') {
    const withUnit = issue.expected === 'number' ? numberWithUnitProblem(issue.path ?? [], issue.input) : undefined;
    if (withUnit !== undefined) return withUnit;
    // YAML 1.1 read yes/no/on/off as booleans, YAML 1.2 (this loader) reads them as text: "written without quotes" told someone who wrote none.
    if (issue.expected === 'boolean' && /^(?:y|yes|n|no|on|off)$/i.test(issue.input)) return `must be true or false: YAML 1.2 reads ${issue.input} as text, not as a boolean`;
    return textWhereNumberGoes(issue.expected === 'number' ? 'number' : 'boolean', issue.path ?? [], issue.input);
  }
  if (issue.code === 'invalid_union') {
    const { discriminator, options } = issue as { discriminator?: unknown; options?: unknown };
    if (discriminator === 'kind' && Array.isArray(options)) return providerKindProblem(issue.input, options.map(String));
    return undefined;
  }
  if (issue.code !== 'unrecognized_keys') return plainIssueWords(issue);
  const shape = shapeOf(issue.inst);
  const known = Object.keys(shape ?? {});
  // A credential one indent short of `auth:` read "unknown key; allowed here: id, name, url, ..."
  // beside "auth: has no credential": neither said it had only to move.
  const credentialKeys = Object.keys(shapeOf(shape?.['auth']) ?? {});
  // Where `url` is a key (an account), a `port` or `host` beside it was listed as unknown without saying it belongs in the url.
  const inUrl = known.includes('url') ? URL_PARTS : [];
  // The top level is the one object that lists both.
  const atTop = known.includes('providers') && known.includes('clients');
  return issue.keys
    .map((key) => {
      if (credentialKeys.includes(key)) return `unknown key here; ${key} goes under auth: indent it below "auth:"`;
      const entryKey = atTop ? entryKeyAtTop(key) : undefined;
      if (entryKey !== undefined) return entryKey;
      if (inUrl.includes(key)) return `unknown key here; the ${key} goes in url (http://HOST:PORT/ and the API's path)`;
      // A setting of another section, unless a key here is near it: a client's `apiKey` meant its `key`, not an auth's apiKey.
      const elsewhere = closestKey(key, known) === null ? misplacedSettingHint(key, issue.path ?? []) : undefined;
      if (elsewhere !== undefined) return known.length > 0 ? `${elsewhere}; allowed here: ${known.join(', ')}` : elsewhere;
      return unknownKeyMessage(key, known);
    })
    .join('\n');
};

/**
 * `roles: [Admin]`, `logLevel: INFO`: the word looked right to its writer, and the list alone did
 * not say that only its case was wrong. Names the list's word, never the value written.
 */
function inAnotherCase(values: readonly string[], written: unknown): string {
  if (typeof written !== 'string') return '';
  const meant = values.find((value) => value !== written && value.toLowerCase() === written.toLowerCase());
  if (meant === undefined) return '';
  return meant === meant.toLowerCase() ? `: write ${meant}, in lower case` : `: write ${meant} (the case matters)`;
}

const URL_PARTS: readonly string[] = ['port', 'host'];

/** A zod object schema's keys and their schemas (undefined for any other schema). */
function shapeOf(schema: unknown): Record<string, unknown> | undefined {
  return (schema as { _zod?: { def?: { shape?: Record<string, unknown> } } } | undefined)?._zod?.def?.shape;
}

/**
 * Where the value may be a secret itself: a client key, a provider credential. A literal one may
 * start with `$` (`$Zomro_token_1`), and a refusal of it (a key given to two clients) would have
 * quoted it whole as the variable's name: there the hint names none, as the start-up warning
 * (variable-lookalikes.ts) does, and the path says which line of the file to look at.
 */
const SECRET_PATH = /^(clients\[\d+\]\.key|providers\[\d+\]\.auth\..+)$/;

/** A problem of a value written `$NAME` with NAME unset, with why the value was taken as text. */
function withShellStyleHint(line: string, shellStyle: ReadonlyMap<string, string>): string {
  const path = line.slice(0, line.indexOf(': '));
  const name = shellStyle.get(path);
  if (name === undefined) return line;
  if (SECRET_PATH.test(path) || !isPlainWord(name)) return `${line} (it is written as a shell variable, $ and a name, that is not set, so it is read as text; for the environment variable, set it and write "\${NAME}")`;
  return `${line} (it reads $${name} as text: ${name} is not set; for the environment variable, set it and write "\${${name}}")`;
}

/** Every problem of an already-parsed config object, in one list (empty: valid). */
function problemsOf(input: unknown, skip: ReadonlySet<string>, shellStyle: ReadonlyMap<string, string> = new Map(), keyLine?: KeyLine): { problems: string[]; config?: GatewayConfig } {
  const result = configSchema.safeParse(input, { error: errorMap });
  if (result.success) return { problems: [], config: withDerivedAnswerDeadline(result.data, input) };
  const lines = result.error.issues.flatMap((issue) => describeIssue(issue, input, keyLine));
  // Checks across parts of the config only run inside zod once the rest is valid; run them anyway.
  for (const issue of crossCheckConfig(input)) lines.push(`${formatPath(issue.path)}: ${issue.message}`);
  const seen = new Set<string>();
  const problems = lines.filter((line) => {
    const path = line.slice(0, line.indexOf(': '));
    if (skip.has(path) || seen.has(line)) return false;
    seen.add(line);
    return true;
  });
  return { problems: problems.map((line) => withShellStyleHint(line, shellStyle)) };
}

/** Validates an already-parsed config object (after env substitution). */
export function validateConfig(input: unknown): GatewayConfig {
  const { problems, config } = problemsOf(input, new Set());
  if (!config) throw new ConfigError(withAccountLabels(problems, input));
  return config;
}

/**
 * Reads, substitutes and validates a YAML (or JSON) config file; every problem is reported at once.
 * `namedBy`: the environment variable the path came from, named when the file cannot be read (a
 * deployment's variable pointing at a file not mounted read as if a --config had gone wrong).
 */
export function loadConfigFile(file: string, env: NodeJS.ProcessEnv = process.env, namedBy?: string): GatewayConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory: name the config file in it' : code === 'EACCES' ? 'permission denied' : code === 'ENOTDIR' ? 'a part of its path is a file, not a directory' : (code ?? 'error');
    const { where, remedy } = code === 'ENOENT' ? notFoundHints(file, env) : { where: '', remedy: '' };
    // The path first, as every other problem with the file begins (`PATH:LINE:COLUMN: not valid YAML`); it began `(file):`.
    throw new ConfigError([`${file}${where}${namedBy ? ` (${namedBy})` : ''}: cannot read it: ${why}${remedy}`]);
  }
  const notText = notUtf8TextProblem(text);
  if (notText !== null) throw new ConfigError([`${shownConfigPath(file, env)}: ${notText}`]);
  const markLine = strayByteOrderMarkLine(text);
  if (markLine !== null) throw new ConfigError([`${shownConfigPath(file, env)}:${markLine}:1: ${STRAY_BYTE_ORDER_MARK}`]);
  let parsed: unknown;
  let keyLine: KeyLine;
  try {
    ({ value: parsed, keyLine } = parseConfigYaml(text));
  } catch (error) {
    throw new ConfigError([yamlProblem(shownConfigPath(file, env), text, error)]);
  }
  // Empty, or comments only: "providers: required" and "clients: required" did not say the file held nothing.
  if (parsed === null || parsed === undefined) {
    throw new ConfigError([`${shownConfigPath(file, env)}: the file holds no settings (it is empty, or comments only): a config names at least providers and clients; \`npm start --silent -- --simulators > FILE\` writes one to start from, or see backup-graph.example.yaml`]);
  }
  return loadConfigObject(withoutExtensionKeys(parsed), env, keyLine);
}

/**
 * The file's top-level `x-` keys left out: compose files' place for blocks that exist only to be
 * merged (`x-defaults: &defaults`, then `<<: *defaults` in each account), which no setting's name
 * begins with, so a typo is never taken for one.
 */
function withoutExtensionKeys(parsed: unknown): unknown {
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return parsed;
  return Object.fromEntries(Object.entries(parsed).filter(([key]) => !key.startsWith('x-')));
}

/**
 * Substitutes `${ENV}` and validates; missing variables and invalid values come back together.
 * `keyLine`: where the file wrote each key, for problems that cannot quote the key itself.
 */
export function loadConfigObject(parsed: unknown, env: NodeJS.ProcessEnv, keyLine?: KeyLine): GatewayConfig {
  const envProblems: string[] = [];
  const missing = new Set<string>();
  const shellStyle = new Map<string, string>();
  const fromFile = substituteEnv(parsed ?? {}, env, envProblems, [], missing, shellStyle);
  const { problems, config } = problemsOf(shutdownFromEnv(fromFile, env, envProblems), missing, shellStyle, keyLine);
  if (envProblems.length > 0 || !config) throw new ConfigError(withAccountLabels([...envProblems, ...problems], fromFile));
  const written = parsed !== null && typeof parsed === 'object' ? (parsed as { admin?: unknown; listen?: unknown }) : {};
  return { ...config, admin: withPortVariable('admin.port', config.admin, written.admin), listen: withPortVariable('listen.port', config.listen, written.listen) };
}

/**
 * The config with DRAIN_TIMEOUT_MS and SHUTDOWN_READYZ_GRACE_MS written in; a value
 * the start refuses joins `envProblems` and the file is validated as written, so
 * its own problems are named in the same pass (they were hidden behind the variable's).
 */
function shutdownFromEnv(config: unknown, env: NodeJS.ProcessEnv, envProblems: string[]): unknown {
  try {
    return withShutdownEnv(config, env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    envProblems.push(...error.problems);
    return config;
  }
}
