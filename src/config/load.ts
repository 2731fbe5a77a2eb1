import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { ConfigError } from './config-error.js';
import { configSchema, type GatewayConfig } from './schema.js';

// Its own module so main.ts can recognise it without loading zod and yaml.
export { ConfigError } from './config-error.js';

/** `providers[2].auth.password` */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const part of path) out += typeof part === 'number' ? `[${part}]` : out === '' ? String(part) : `.${String(part)}`;
  return out === '' ? '(root)' : out;
}

/** Replaces `${NAME}` in every string value; a missing variable is a problem naming its key path. */
export function substituteEnv(value: unknown, env: NodeJS.ProcessEnv, problems: string[], path: PropertyKey[] = []): unknown {
  if (typeof value === 'string') {
    return value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_match, name: string) => {
      const replacement = env[name];
      if (replacement === undefined) {
        problems.push(`${formatPath(path)}: environment variable ${name} is not set`);
        return '';
      }
      return replacement;
    });
  }
  if (Array.isArray(value)) return value.map((item, index) => substituteEnv(item, env, problems, [...path, index]));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, substituteEnv(item, env, problems, [...path, key])]));
  }
  return value;
}

function describeIssue(issue: z.core.$ZodIssue): string {
  return `${formatPath(issue.path)}: ${issue.message}`;
}

/** Validates an already-parsed config object (after env substitution). */
export function validateConfig(input: unknown): GatewayConfig {
  const result = configSchema.safeParse(input);
  if (!result.success) throw new ConfigError(result.error.issues.map(describeIssue));
  return result.data;
}

/** Reads, substitutes and validates a YAML (or JSON) config file. */
export function loadConfigFile(file: string, env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError([`(file): cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`]);
  }
  let parsed: unknown;
  try {
    parsed = parseYaml(text, { prettyErrors: true });
  } catch (error) {
    throw new ConfigError([`(file): not valid YAML: ${error instanceof Error ? error.message.split('\n')[0] : 'parse error'}`]);
  }
  const problems: string[] = [];
  const substituted = substituteEnv(parsed ?? {}, env, problems);
  if (problems.length > 0) throw new ConfigError(problems);
  return validateConfig(substituted);
}
