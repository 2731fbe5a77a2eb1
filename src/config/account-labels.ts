import { PROVIDER_MODULES } from '../providers/registry.js';
import { isPlainWord, USABLE_ID } from './usable-id.js';

/**
 * Problems with a provider account read `providers[1].url: ...`, an index counted from zero,
 * while the warnings read `(account flex)`: an operator counting from one edited the block
 * before the one meant. Each problem names the account as the warnings do, by its id, and by
 * its place counted from one ("the 2nd provider") where the id cannot tell it apart (none, one
 * the schema refuses, or one two accounts share). A client's problems name the client the same way
 * (`clients[1].key (client ops): ...`): `clients[1]` was as easy to miscount.
 */

const ACCOUNT_LINE = /^(providers\[(\d+)\][^\s:]*)(: .*)$/s;
const CLIENT_LINE = /^(clients\[(\d+)\][^\s:]*)(: .*)$/s;

/** "1st", "2nd", "3rd", "11th", "22nd". */
export function ordinal(position: number): string {
  const lastTwo = position % 100;
  const suffix = lastTwo >= 11 && lastTwo <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][position % 10] ?? 'th');
  return `${position}${suffix}`;
}

/** How problems and warnings name the account at `index` of the config's providers list. */
export function accountLabel(providers: readonly unknown[], index: number): string {
  const id = idOf(providers[index]);
  const shared = id !== undefined && providers.filter((provider) => idOf(provider) === id).length > 1;
  return id !== undefined && !shared ? `account ${id}` : `the ${ordinal(index + 1)} provider`;
}

/**
 * How problems name the client at `index` of the config's clients list: by its name where that is a
 * plain word no other client has and no credential of the config (any client's key, any provider
 * secret), else by its place counted from one. Only the entry's own key was checked: a
 * key pasted into the next client's name, or an API token into a name, was quoted in the problem.
 */
export function clientLabel(clients: readonly unknown[], index: number, providers: readonly unknown[] = []): string {
  const credentials = credentialsOf(clients, providers);
  const nameOf = (client: unknown): string | undefined => {
    const name = clientNameOf(client);
    return name !== undefined && !credentials.has(name) ? name : undefined;
  };
  const name = nameOf(clients[index]);
  const shared = name !== undefined && clients.filter((client) => nameOf(client) === name).length > 1;
  return name !== undefined && !shared ? `client ${name}` : `the ${ordinal(index + 1)} client`;
}

/**
 * Every client key and every provider secret (its kind's `secretKeys`; every string of its `auth`
 * where the kind is not one the gateway knows): what a quoted name must not be.
 */
export function credentialsOf(clients: readonly unknown[], providers: readonly unknown[]): Set<string> {
  const credentials = new Set<string>();
  for (const client of clients) {
    const key = client !== null && typeof client === 'object' ? (client as Record<string, unknown>).key : undefined;
    if (typeof key === 'string') credentials.add(key);
  }
  for (const provider of providers) {
    if (provider === null || typeof provider !== 'object') continue;
    const { kind, auth } = provider as Record<string, unknown>;
    if (auth === null || typeof auth !== 'object') continue;
    const fields = auth as Record<string, unknown>;
    const module = typeof kind === 'string' && Object.hasOwn(PROVIDER_MODULES, kind) ? PROVIDER_MODULES[kind as keyof typeof PROVIDER_MODULES] : undefined;
    for (const key of module ? module.secretKeys : Object.keys(fields)) {
      const value = fields[key];
      if (typeof value === 'string') credentials.add(value);
    }
  }
  return credentials;
}

/** Each problem line about a provider account or a client with its name after its key path. */
export function withAccountLabels(problems: readonly string[], config: unknown): string[] {
  const providers = listOf(config, 'providers');
  const clients = listOf(config, 'clients');
  return problems.map((line) => {
    const account = ACCOUNT_LINE.exec(line);
    if (account) return labelled(account, accountLabel(providers, Number(account[2])));
    const client = CLIENT_LINE.exec(line);
    if (client) return labelled(client, clientLabel(clients, Number(client[2]), providers));
    return line;
  });
}

function labelled(match: RegExpExecArray, label: string): string {
  const [, path, , rest] = match as unknown as [string, string, string, string];
  return `${path} (${label})${rest}`;
}

function listOf(config: unknown, key: 'providers' | 'clients'): unknown[] {
  const list = config !== null && typeof config === 'object' ? (config as Record<string, unknown>)[key] : undefined;
  return Array.isArray(list) ? list : [];
}

function clientNameOf(client: unknown): string | undefined {
  if (client === null || typeof client !== 'object') return undefined;
  const { name } = client as Record<string, unknown>;
  return typeof name === 'string' && isPlainWord(name) ? name : undefined;
}

function idOf(provider: unknown): string | undefined {
  const id = provider !== null && typeof provider === 'object' ? (provider as Record<string, unknown>).id : undefined;
  return typeof id === 'string' && USABLE_ID.test(id) ? id : undefined;
}
