import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DANUBE_SIM_API_KEY, type DanubeSimulator } from '../../src/providers/danube/simulator.js';
import { ONAPP_SIM_API_KEY, type OnappSimulator } from '../../src/providers/onapp/simulator.js';
import { simulatedKinds, type ProviderKind } from '../../src/providers/registry.js';
import { ZOMRO_SIM_PASSWORD, ZOMRO_SIM_TOKEN, ZOMRO_SIM_USER, type ZomroSimulator } from '../../src/providers/zomro/simulator.js';
import { ZSTACK_SIM_PASSWORD, type ZstackSimulator } from '../../src/providers/zstack/simulator.js';
import type { LoggedRequest } from '../../src/simulator/server.js';
import { type ConfigChange, type GraphQLAnswer, type Harness, startHarness, withDanubePasswordLogin, withProviderSettings } from '../helpers/harness.js';

/**
 * Providers that quote back what they were sent: the 'echo' fault answers
 * every request with an error, in the provider's own shape, that holds the
 * credentials the request carried. None of it may reach a client or a log.
 */

const LIST = '{ instances(first: 500) { edges { node { id provider { id } } } providerErrors { provider { id } code message } } }';
const BACKUPS = '{ backups(first: 500) { edges { node { id name note provider { id } raw } } providerErrors { provider { id } code message } } }';
const NODE = 'query($id: ID!) { node(id: $id) { id } }';
const CREATE = 'mutation($input: CreateBackupInput!) { createBackup(input: $input) { operation { id status error } } }';

interface ListAnswer {
  instances: { edges: Array<{ node: { id: string; provider: { id: string } } }>; providerErrors: Array<{ provider: { id: string }; code: string; message: string }> };
}
interface BackupsAnswer {
  backups: { edges: Array<{ node: { id: string; provider: { id: string }; raw: Record<string, unknown> } }> };
}

const sha512 = (value: string): string => createHash('sha512').update(value, 'utf8').digest('hex');
const base64 = (value: string): string => Buffer.from(value, 'utf8').toString('base64');

/**
 * Every credential the gateway sent a simulator (read from what the simulator
 * received, so session tokens obtained at run time are included), and the
 * forms a provider could quote them in.
 */
function sentCredentials(log: readonly LoggedRequest[], configured: readonly string[]): string[] {
  const values = new Set<string>(configured);
  for (const request of log) {
    const authorization = request.headers.authorization;
    if (typeof authorization === 'string') {
      values.add(authorization);
      values.add(authorization.replace(/^\S+ /, ''));
      if (authorization.startsWith('Basic ')) values.add(Buffer.from(authorization.slice(6), 'base64').toString('utf8'));
    }
    const apiKey = request.headers['es-api-key'];
    if (typeof apiKey === 'string') values.add(apiKey);
    for (const field of ['auth', 'authinfo']) if (request.form[field]) values.add(request.form[field] as string);
    const login = safeJson(request.bodyText) as { password?: unknown; logInByAccount?: { password?: unknown } } | undefined;
    for (const password of [login?.password, login?.logInByAccount?.password]) if (typeof password === 'string') values.add(password);
  }
  const forms = new Set<string>();
  for (const value of values) {
    if (value.length < 6) continue;
    for (const form of [value, encodeURIComponent(value), new URLSearchParams({ s: value }).toString().slice(2), base64(value), value.toUpperCase()]) forms.add(form);
  }
  return [...forms];
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

const configuredSecrets = (harness: Harness): string[] =>
  harness.config.providers.flatMap((provider) => Object.values(provider.auth as Record<string, unknown>).filter((value): value is string => typeof value === 'string' && value.length >= 6));

function expectClean(harness: Harness, texts: readonly string[]): void {
  const log = [...harness.simulators.values()].flatMap((simulator) => simulator.server.log);
  const secrets = sentCredentials(log, configuredSecrets(harness));
  expect(secrets.length).toBeGreaterThan(harness.simulators.size * 3);
  expect(harness.logs.length).toBeGreaterThan(0);
  for (const secret of secrets) {
    for (const text of texts) expect(text, `an answer holds ${secret}`).not.toContain(secret);
    for (const line of harness.logs) expect(line, `a log line holds ${secret}`).not.toContain(secret);
  }
}

const PROVIDER_CODE = /^[A-Za-z0-9._-]{1,40}$/;

function echoSuite(name: string, logins: ConfigChange[], prepare: (harness: Harness) => void = () => {}): void {
  describe(name, () => {
    const kinds = simulatedKinds();
    let harness: Harness;
    const answers: string[] = [];
    const lists = new Map<ProviderKind, ListAnswer['instances']['providerErrors'][number]>();
    const nodes = new Map<ProviderKind, GraphQLAnswer>();
    const creates = new Map<ProviderKind, GraphQLAnswer>();

    beforeAll(async () => {
      harness = await startHarness({
        kinds,
        configure: [...logins, withProviderSettings({ breakerThreshold: 1_000 })],
      });
      prepare(harness);
      // A first, healthy read: logins happen, sessions and tokens exist to be quoted back.
      const healthy = await harness.gql<ListAnswer>(LIST);
      answers.push(healthy.text);
      expect(healthy.data!.instances.providerErrors).toEqual([]);
      for (const kind of kinds) {
        const simulator = harness.simulator(kind);
        const instance = healthy.data!.instances.edges.find((edge) => edge.node.provider.id === harness.providerId(kind))!.node;
        await simulator.server.setFault('echo');
        const list = await harness.gql<ListAnswer>(LIST);
        answers.push(list.text);
        lists.set(kind, list.data!.instances.providerErrors.find((error) => error.provider.id === harness.providerId(kind))!);
        const node = await harness.gql(NODE, { id: instance.id });
        answers.push(node.text);
        nodes.set(kind, node);
        const create = await harness.gql(CREATE, { input: { instanceId: instance.id, name: 'echo-check', definitionName: 'daily' } });
        answers.push(create.text);
        creates.set(kind, create);
        await simulator.server.clearFault();
      }
    });
    afterAll(() => harness.close());

    it('no credential, session or derived form in an answer or a log line', () => {
      expectClean(harness, answers);
    });

    for (const kind of simulatedKinds()) {
      it(`${kind}: the provider's words still arrive, scrubbed, with a short provider code`, () => {
        const listed = lists.get(kind)!;
        expect(listed.code).toBe('PROVIDER_ERROR');
        expect(listed.message).toContain('[redacted]');
        const [error] = nodes.get(kind)!.errors ?? [];
        expect(error?.extensions?.code).toBe('PROVIDER_ERROR');
        expect(error?.message).toContain('[redacted]');
        expect(String(error?.extensions?.providerCode)).toMatch(PROVIDER_CODE);
        const [created] = creates.get(kind)!.errors ?? [];
        expect(created?.extensions?.code).toBe('PROVIDER_ERROR');
      });
    }
  });
}

echoSuite('echo: credentials quoted back by every provider (API keys, tokens, ZStack login)', []);

const FIXED_ZSTACK_SESSION = '5d3c0ffee0a94e1f8b2a77c4e9d1b6a0';
echoSuite(
  'echo: credentials quoted back by every provider (logins: Zomro authinfo, Danube token, ZStack fixed session)',
  [
    withProviderSettings({ auth: { username: ZOMRO_SIM_USER, password: ZOMRO_SIM_PASSWORD } }, 'zomro'),
    withDanubePasswordLogin(),
    withProviderSettings({ auth: { sessionId: FIXED_ZSTACK_SESSION } }, 'zstack'),
  ],
  (harness) => {
    // The session an operator configured is one the management node knows.
    (harness.simulator('zstack').simulator as ZstackSimulator).sessions.add(FIXED_ZSTACK_SESSION);
  },
);

describe('echo: a login that fails quoting the password (ZStack: its hash, even as the error code; Danube: the password)', () => {
  let harness: Harness;
  const answers = new Map<ProviderKind, GraphQLAnswer>();
  let hash: string;
  const LOGIN_LABELS: Partial<Record<ProviderKind, string>> = { zstack: 'PUT /zstack/v1/accounts/login', danube: 'POST /accounts/login' };

  beforeAll(async () => {
    harness = await startHarness({
      kinds: ['zstack', 'danube'],
      configure: withDanubePasswordLogin(),
    });
    const list = await harness.gql<ListAnswer>(LIST);
    expect(list.data!.instances.providerErrors).toEqual([]);
    (harness.simulator('zstack').simulator as ZstackSimulator).expireSessions();
    (harness.simulator('danube').simulator as DanubeSimulator).expireToken();
    for (const kind of ['zstack', 'danube'] as const) {
      const simulator = harness.simulator(kind);
      const id = list.data!.instances.edges.find((edge) => edge.node.provider.id === harness.providerId(kind))!.node.id;
      await simulator.server.setFault({ mode: 'echo', onlyLabel: LOGIN_LABELS[kind]! });
      answers.set(kind, await harness.gql(NODE, { id }));
      await simulator.server.clearFault();
    }
    const login = harness.simulator('zstack').server.log.filter((request) => request.label === LOGIN_LABELS.zstack).at(-1)!;
    hash = (JSON.parse(login.bodyText) as { logInByAccount: { password: string } }).logInByAccount.password;
  });
  afterAll(() => harness.close());

  it('ZStack: PROVIDER_ERROR with a short provider code, not the hash', () => {
    expect(hash).toMatch(/^[0-9a-f]{128}$/);
    const [error] = answers.get('zstack')!.errors ?? [];
    expect(error?.extensions?.code).toBe('PROVIDER_ERROR');
    expect(error?.extensions?.providerCode).toBe('HTTP_400');
  });

  it('Danube: PROVIDER_ERROR for the refused login', () => {
    const [error] = answers.get('danube')!.errors ?? [];
    expect(error?.extensions?.code).toBe('PROVIDER_ERROR');
    expect(error?.extensions?.providerCode).toBe('HTTP_400');
  });

  it('no password, hash or part of the hash in an answer or a log line', () => {
    const texts = [...answers.values()].map((answer) => answer.text);
    expectClean(harness, texts);
    for (const text of [...texts, ...harness.logs]) expect(text).not.toContain(hash.slice(0, 16));
  });
});

/**
 * Per provider: credential fields in its backup records (names seen in provider
 * APIs), and names or notes quoting the account's own credentials.
 */
const PLANT_CREDENTIALS: Record<ProviderKind, (simulator: unknown) => void> = {
  zstack: (simulator) => {
    const hash = sha512(ZSTACK_SIM_PASSWORD);
    for (const row of (simulator as ZstackSimulator).volumeBackups) Object.assign(row, { sessionId: 'row-session-0f3e9a', password: 'row-password-77aa', description: `made by ${hash}` });
  },
  danube: (simulator) => {
    for (const row of (simulator as DanubeSimulator).backups) Object.assign(row, { api_key: 'row-api-key-5c1d', note: `key ${DANUBE_SIM_API_KEY}` });
  },
  onapp: (simulator) => {
    for (const backup of (simulator as OnappSimulator).backups.values()) backup.note = `taken with ${ONAPP_SIM_API_KEY}`;
  },
  zomro: (simulator) => {
    for (const backup of (simulator as ZomroSimulator).backups.values()) backup.name = `auth=${ZOMRO_SIM_TOKEN}`;
  },
};

describe('records that quote credentials', () => {
  let harness: Harness;
  let answer: GraphQLAnswer<BackupsAnswer>;

  beforeAll(async () => {
    harness = await startHarness({ kinds: simulatedKinds() });
    for (const kind of simulatedKinds()) PLANT_CREDENTIALS[kind](harness.simulator(kind).simulator);
    answer = await harness.gql<BackupsAnswer>(BACKUPS);
  });
  afterAll(() => harness.close());

  it('raw holds no credential field and no internal storage location', () => {
    const edges = answer.data!.backups.edges;
    for (const kind of simulatedKinds()) expect(edges.some((edge) => edge.node.provider.id === harness.providerId(kind)), `${kind} lists backups`).toBe(true);
    const text = JSON.stringify(edges.map((edge) => edge.node.raw));
    for (const hidden of ['row-session-0f3e9a', 'row-password-77aa', 'row-api-key-5c1d', 'installPath', '/zstack_bs/', '"zpool"', '"password"', '"sessionId"', '"api_key"']) {
      expect(text).not.toContain(hidden);
    }
    // What raw is for stays: the provider's own words and ids.
    expect(text).toContain('"groupUuid"');
    expect(text).toContain('"fleio_status"');
    expect(text).toContain('"backup_server_id"');
  });

  it('names, notes and raw values keep their words with the credentials redacted', () => {
    expectClean(harness, [answer.text]);
    for (const kind of simulatedKinds()) {
      const mine = answer.data!.backups.edges.filter((edge) => edge.node.provider.id === harness.providerId(kind));
      expect(mine.some((edge) => JSON.stringify(edge.node).includes('[redacted]')), `${kind}: no backup shows the credential PLANT_CREDENTIALS.${kind} put in it, redacted`).toBe(true);
    }
  });
});

describe('echo: a Zomro validation error quoting the session inside $object (JSON in a JSON string, "/" written "\\/")', () => {
  const TOKEN = 'c2Vzc2lvbi/0b2tlbg==';
  let harness: Harness;
  let answer: GraphQLAnswer;

  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zomro'], configure: withProviderSettings({ auth: { token: TOKEN } }, 'zomro') });
    const simulator = harness.simulator('zomro').simulator as ZomroSimulator;
    simulator.sessions.set(TOKEN, Date.now());
    const list = await harness.gql<ListAnswer>(LIST);
    expect(list.data!.instances.providerErrors).toEqual([]);
    simulator.fieldErrorsQuoteRequest = true;
    answer = await harness.gql(CREATE, { input: { instanceId: list.data!.instances.edges[0]!.node.id, name: 'n'.repeat(100), definitionName: 'daily' } });
  });
  afterAll(() => harness.close());

  it('is still BAD_USER_INPUT naming the field, with the quoted session redacted', () => {
    const [error] = answer.errors ?? [];
    expect(error?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', provider: 'zomro-test', providerCode: 'value' });
    expect(error?.message).toMatch(/^provider zomro-test refused field\(s\) name: name: The value is too long \(64 characters at most\), request: .*auth=\[redacted\]/);
  });

  it('no credential in the answer or a log line', () => {
    expect(answer.text).not.toContain('0b2tlbg');
    expectClean(harness, [answer.text]);
  });
});
