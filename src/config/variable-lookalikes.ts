import { PROVIDER_MODULES } from '../providers/registry.js';
import { clientLabel } from './account-labels.js';
import type { GatewayConfig } from './schema.js';

/** The shell's `$NAME`, which the config reads as text (only `${NAME}` reads the environment). */
const SHELL_VARIABLE = /^\$([A-Za-z_][A-Za-z0-9_]*)$/;

/** A client key or provider secret written as `$NAME` with NAME unset: named by its path, never by its value. */
export interface VariableLookalike {
  /** Where it sits in the config file, `clients[0].key` or `providers[2].auth.password`. */
  path: string;
  /** The provider account's `id`, for a provider secret. */
  account?: string;
  /** How a client key's client is named, `client ops` (account-labels.ts), as its problems name it. */
  client?: string;
}

/**
 * Each client key and provider secret of the form `$NAME` whose NAME (and
 * NAME_FILE) is not set. Such a value is taken as the literal text: a client
 * key then is the variable's name, which anyone who has read the deployment's
 * files can send, and a provider secret goes out as the name and fails at
 * login. A warning, not a refusal: a literal secret may start with `$` (where
 * NAME is set, `substituteEnv` refuses it, since the intent is then plain).
 */
export function variableLookalikes(config: Pick<GatewayConfig, 'clients' | 'providers'>, env: NodeJS.ProcessEnv): VariableLookalike[] {
  const unsetName = (value: unknown): boolean => {
    const name = typeof value === 'string' ? SHELL_VARIABLE.exec(value)?.[1] : undefined;
    return name !== undefined && env[name] === undefined && env[`${name}_FILE`] === undefined;
  };
  const clientList = config.clients ?? [];
  const clients = clientList.flatMap((client, index) => (unsetName(client.key) ? [{ path: `clients[${index}].key`, client: clientLabel(clientList, index, config.providers) }] : []));
  const secrets = config.providers.flatMap((provider, index) => {
    const auth = provider.auth as Record<string, unknown>;
    return PROVIDER_MODULES[provider.kind].secretKeys.flatMap((key) => (unsetName(auth[key]) ? [{ path: `providers[${index}].auth.${key}`, account: provider.id }] : []));
  });
  return [...clients, ...secrets];
}

/** The warning's words, for `--check-config` and the start-up log (the value is not quoted: it may be a real secret). */
export const variableLookalikeWarning = (found: VariableLookalike): string =>
  `${found.path}${found.account === undefined ? '' : ` (account ${found.account})`}${found.client === undefined ? '' : ` (${found.client})`} is written as a shell variable ($ and a name) that is not set, so it is used as the literal text; to read the environment variable, set it and write \${NAME}`;
