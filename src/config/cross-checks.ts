import { credentialsOf } from './account-labels.js';
import { clientKeyProblem, providerSecretProblem } from './secret-line-breaks.js';
import { secretLikeNameProblem } from './secret-like-name.js';
import { isPlainWord, USABLE_ID } from './usable-id.js';

/**
 * Checks that span several parts of the config (ids named in one place and
 * used in another). They read the input defensively, so they run even when
 * other parts are invalid: `--check-config` reports them in the same pass as
 * everything else instead of after the rest is fixed.
 */
export interface CrossIssue {
  path: PropertyKey[];
  message: string;
}

const record = (value: unknown): Record<string, unknown> | null => (value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null);
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

/** Past this many ids the list is cut: a config of hundreds of accounts would bury the line. */
const IDS_LISTED = 10;

/**
 * An id named elsewhere that no provider has, with the ids there are: a README example pasted
 * into a config of other accounts (`perProvider: { lab: 168 }` in the simulators' file) read
 * "no provider has id "lab"" and left the newcomer to look the right ones up.
 */
function noSuchProvider(id: string, ids: ReadonlySet<string>): string {
  // Only ids the schema takes are quoted, the one written as well as the providers': anything else there may be a misplaced secret.
  const missing = USABLE_ID.test(id) ? `no provider has id "${id}"` : UNQUOTED_ID;
  const usable = [...ids].filter((known) => USABLE_ID.test(known));
  if (usable.length === 0) return missing;
  const listed = usable.slice(0, IDS_LISTED).map((known) => `"${known}"`).join(', ');
  return `${missing}; the providers' ids: ${listed}${usable.length > IDS_LISTED ? `, and ${usable.length - IDS_LISTED} more` : ''}`;
}

/** An id written where a provider's goes that no provider id could be (a key or a password pasted there): not quoted. */
const UNQUOTED_ID = 'no provider has the id written here (not quoted: it is not of an id\'s form, small letters, digits and "-", and may be a secret put in the wrong place)';

/** Where an unknown `perProvider` key is reported: the key itself is the path's last part only where it may be quoted. */
const perProviderPath = (id: string): PropertyKey[] => (USABLE_ID.test(id) ? ['protection', 'perProvider', id] : ['protection', 'perProvider']);

export function crossCheckConfig(input: unknown): CrossIssue[] {
  const issues: CrossIssue[] = [];
  const config = record(input);
  if (!config) return issues;
  const ids = new Set<string>();
  list(config.providers).forEach((provider, index) => {
    const id = record(provider)?.id;
    if (typeof id !== 'string') return;
    // An id the schema refuses has a line of its own; it may be a secret, so not quoted here either.
    if (ids.has(id)) issues.push({ path: ['providers', index, 'id'], message: USABLE_ID.test(id) ? `duplicate provider id "${id}"` : 'duplicate provider id (not quoted: not of an id\'s form)' });
    ids.add(id);
  });
  list(config.providers).forEach((provider, index) => {
    for (const [name, value] of Object.entries(record(record(provider)?.auth) ?? {})) {
      const problem = typeof value === 'string' ? providerSecretProblem(value) : null;
      if (problem) issues.push({ path: ['providers', index, 'auth', name], message: problem });
    }
  });
  const credentials = credentialsOf(list(config.clients), list(config.providers));
  list(config.providers).forEach((provider, index) => {
    const name = record(provider)?.name;
    const problem = typeof name === 'string' ? secretLikeNameProblem(name, credentials) : undefined;
    if (problem) issues.push({ path: ['providers', index, 'name'], message: problem });
  });
  // Without a providers list (left out, or misspelt `provider:`) its own line says so; every
  // id named elsewhere reading "no provider has id" buried that one line under the noise.
  const providersListed = Array.isArray(config.providers);
  for (const id of Object.keys(record(record(config.protection)?.perProvider) ?? {})) {
    if (providersListed && !ids.has(id)) issues.push({ path: perProviderPath(id), message: noSuchProvider(id, ids) });
  }
  const keys = new Set<string>();
  const names = new Set<string>();
  const clients = list(config.clients);
  clients.forEach((entry, index) => {
    const client = record(entry);
    if (!client) return;
    if (typeof client.key === 'string') {
      const problem = clientKeyProblem(client.key);
      if (problem) issues.push({ path: ['clients', index, 'key'], message: problem });
      if (keys.has(client.key)) issues.push({ path: ['clients', index, 'key'], message: 'the same key is given to two clients' });
      keys.add(client.key);
    }
    if (typeof client.name === 'string') {
      // Audit lines name clients: two of one name could not be told apart.
      const quoted = isPlainWord(client.name) ? `"${client.name}"` : '(not quoted: not a plain word, it may be a key put in the wrong place)';
      if (names.has(client.name)) issues.push({ path: ['clients', index, 'name'], message: `duplicate client name ${quoted}: each client needs its own` });
      names.add(client.name);
    }
    list(client.providers).forEach((id, providerIndex) => {
      if (providersListed && typeof id === 'string' && !ids.has(id)) issues.push({ path: ['clients', index, 'providers', providerIndex], message: noSuchProvider(id, ids) });
    });
  });
  // allowAnonymous: "true" (quoted, or from ${NAME}) has a line of its own; "or set allowAnonymous: true" beside it read as nonsense.
  const anonymousMistyped = config.allowAnonymous !== undefined && typeof config.allowAnonymous !== 'boolean';
  if (clients.length === 0 && config.allowAnonymous !== true && !anonymousMistyped) {
    issues.push({ path: ['clients'], message: 'required: name at least one client, or set allowAnonymous: true' });
  }
  if (config.anonymousRole !== undefined && config.allowAnonymous !== true && !anonymousMistyped) {
    issues.push({ path: ['anonymousRole'], message: 'has no effect without allowAnonymous: true' });
  }
  return issues;
}
