import { Writable } from 'node:stream';
import type { Logger } from 'pino';
import { validateConfig } from '../../src/config/load.js';
import type { GatewayConfig } from '../../src/config/schema.js';
import { createLogger } from '../../src/observability/logger.js';
import { DANUBE_SIM_PASSWORD, DANUBE_SIM_USER } from '../../src/providers/danube/simulator.js';
import type { RunningSimulator, SimulatorStartOptions } from '../../src/providers/module.js';
import { startSimulator, type ProviderKind } from '../../src/providers/registry.js';
import { startGatewayServer, type RunningGateway } from '../../src/server/app.js';
import type { PersistedQueryBounds } from '../../src/graphql/persisted-queries.js';
import type { KeyValueStore } from '../../src/state/store.js';
import type { OperationBus } from '../../src/cluster/operation-bus.js';

export interface GraphQLAnswer<T = Record<string, unknown>> {
  status: number;
  data?: T | null;
  errors?: Array<{ message: string; path?: Array<string | number>; extensions?: Record<string, unknown> }>;
  headers: Headers;
  text: string;
}

export interface Harness {
  gateway: RunningGateway;
  config: GatewayConfig;
  /** Simulators by provider account id (`<kind>-test`). */
  simulators: Map<string, RunningSimulator>;
  simulator(kind: ProviderKind): RunningSimulator;
  providerId(kind: ProviderKind): string;
  /** Every log line the gateway wrote. */
  logs: string[];
  gql<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>, options?: { key?: string; headers?: Record<string, string> }): Promise<GraphQLAnswer<T>>;
  /** Total requests the simulators received (all, or one provider's). */
  upstreamCount(kind?: ProviderKind): number;
  resetUpstreamLogs(): void;
  close(): Promise<void>;
}

export interface HarnessOptions {
  kinds: ProviderKind[];
  simulator?: SimulatorStartOptions | ((kind: ProviderKind) => SimulatorStartOptions);
  /** Changes to the config before validation, applied in order: `withProviderSettings`, `withAccountCopy`, `withClients`, `withLimits`, `withSettings`, or your own. */
  configure?: ConfigChange | ConfigChange[];
  store?: KeyValueStore;
  /** Shares operation poll loops with other replicas (the Redis bus); closed with the gateway. */
  operationBus?: OperationBus;
  batching?: boolean;
  /** A shorter WebSocket keep-alive period than the gateway's 12 s. */
  webSocketKeepAliveMs?: number;
  /** A longer wait than the gateway's 1 s for a slow reader to answer its close frame. */
  webSocketSlowReaderCloseWaitMs?: number;
  /** A shorter period in which an HTTP client must take some of its answer than the gateway's 12 s. */
  answerStallMs?: number;
  /** Characters of a provider answer scrubbed per turn of the event loop (CHARS_PER_TURN): small, to cut a test's answer into many pieces. */
  scrubCharsPerTurn?: number;
  /** A shorter time for a client to send a whole request than the gateway's 30 s. */
  requestTimeoutMs?: number;
  /** A shorter period between store-failure log lines than the gateway's 30 s. */
  storeFailureLineMs?: number;
  /** Fewer persisted-query registrations kept than the gateway's 20,000 for keyed clients and 5,000 for callers without a key. */
  persistedQueryBounds?: PersistedQueryBounds;
}

/** The harness's config before validation, as a test changes it. */
export type DraftConfig = Record<string, unknown> & { providers: Array<Record<string, unknown>> };
export type ConfigChange = (config: DraftConfig) => DraftConfig;

export interface TestClient {
  name: string;
  key: string;
  roles: string[];
  providers?: string[];
}

/** Settings for every provider account, or only those of one kind (`retries`, `cacheTtlMs`, `auth`, `timezone`...). */
export const withProviderSettings =
  (settings: Record<string, unknown>, only?: ProviderKind): ConfigChange =>
  (config) => ({ ...config, providers: config.providers.map((provider) => (only === undefined || provider.kind === only ? { ...provider, ...settings } : provider)) });

type AccountSettings = Record<string, unknown> & { id: string };

/** One more account: a copy of the first `kind` account with `settings` (a new `id` at least), e.g. a second account on the same simulator. */
export const withAccountCopy =
  (kind: ProviderKind, settings: AccountSettings | ((original: Record<string, unknown>) => AccountSettings)): ConfigChange =>
  (config) => {
    const original = config.providers.find((provider) => provider.kind === kind);
    if (!original) throw new Error(`no ${kind} account to copy`);
    return { ...config, providers: [...config.providers, { ...original, ...(typeof settings === 'function' ? settings(original) : settings) }] };
  };

/** Client keys; anonymous access is off unless `settings` turns it back on. */
export const withClients =
  (clients: TestClient[], settings: Record<string, unknown> = {}): ConfigChange =>
  (config) => ({ ...config, allowAnonymous: false, ...settings, clients });

/** Request limits (`maxCost`, `bodyLimitBytes`, `rateLimit`...), merged over earlier ones. */
export const withLimits =
  (limits: Record<string, unknown>): ConfigChange =>
  (config) => ({ ...config, limits: { ...(config.limits as Record<string, unknown> | undefined), ...limits } });

/** Top-level settings (`introspection`, `protection`...). */
export const withSettings =
  (settings: Record<string, unknown>): ConfigChange =>
  (config) => ({ ...config, ...settings });

/** The harness's clients (loopback) count as a trusted proxy (`listen.trustedProxies`): their X-Forwarded-For and x-request-id are believed. */
export const withTrustedLoopbackProxy = (): ConfigChange => (config) => ({ ...config, listen: { ...(config.listen as object), trustedProxies: ['loopback'] } });

/** Danube logs in with a user and password instead of the simulator's default API key: the login path under test. */
export const withDanubePasswordLogin = (): ConfigChange => withProviderSettings({ auth: { username: DANUBE_SIM_USER, password: DANUBE_SIM_PASSWORD } }, 'danube');

/** Captures log lines in memory, so tests can read what the gateway logged. */
function memoryLogger(lines: string[]): Logger {
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      callback();
    },
  });
  return createLogger('debug', sink);
}

/** Simulators and a gateway on loopback ports chosen by the OS; tests talk HTTP to both. */
export async function startHarness(options: HarnessOptions): Promise<Harness> {
  const simulators = new Map<string, RunningSimulator>();
  const byKind = new Map<ProviderKind, RunningSimulator>();
  for (const kind of options.kinds) {
    const simulatorOptions = typeof options.simulator === 'function' ? options.simulator(kind) : (options.simulator ?? {});
    const simulator = await startSimulator(kind, { asyncDelayMs: 150, ...simulatorOptions });
    simulators.set(`${kind}-test`, simulator);
    byKind.set(kind, simulator);
  }
  const raw = {
    listen: { port: 0, host: '127.0.0.1' },
    admin: { port: 0, host: '127.0.0.1' },
    allowAnonymous: true,
    introspection: true,
    providers: [...simulators].map(([id, simulator]) => ({ ...simulator.accountConfig(id), retries: 1, breakerHalfOpenAfterMs: 200 })),
  };
  const changes = options.configure === undefined ? [] : [options.configure].flat();
  const config = validateConfig(changes.reduce((draft, change) => change(draft), raw as DraftConfig));
  const logs: string[] = [];
  const gateway = await startGatewayServer(config, {
    logger: memoryLogger(logs),
    ...(options.store ? { store: options.store } : {}),
    ...(options.operationBus ? { operationBus: options.operationBus } : {}),
    ...(options.batching === undefined ? {} : { batching: options.batching }),
    ...(options.webSocketKeepAliveMs === undefined ? {} : { webSocketKeepAliveMs: options.webSocketKeepAliveMs }),
    ...(options.webSocketSlowReaderCloseWaitMs === undefined ? {} : { webSocketSlowReaderCloseWaitMs: options.webSocketSlowReaderCloseWaitMs }),
    ...(options.answerStallMs === undefined ? {} : { answerStallMs: options.answerStallMs }),
    ...(options.scrubCharsPerTurn === undefined ? {} : { scrubCharsPerTurn: options.scrubCharsPerTurn }),
    ...(options.persistedQueryBounds === undefined ? {} : { persistedQueryBounds: options.persistedQueryBounds }),
    ...(options.requestTimeoutMs === undefined ? {} : { requestTimeoutMs: options.requestTimeoutMs }),
    ...(options.storeFailureLineMs === undefined ? {} : { storeFailureLineMs: options.storeFailureLineMs }),
  });

  return {
    gateway,
    config,
    simulators,
    logs,
    simulator: (kind) => {
      const simulator = byKind.get(kind);
      if (!simulator) throw new Error(`no ${kind} simulator in this harness`);
      return simulator;
    },
    providerId: (kind) => `${kind}-test`,
    gql: gqlAt(gateway.graphqlUrl),
    upstreamCount: (kind) => (kind ? (byKind.get(kind)?.server.count() ?? 0) : [...simulators.values()].reduce((sum, simulator) => sum + simulator.server.count(), 0)),
    resetUpstreamLogs: () => {
      for (const simulator of simulators.values()) simulator.server.resetLog();
    },
    async close() {
      await gateway.close();
      await Promise.all([...simulators.values()].map((simulator) => simulator.stop()));
    },
  };
}

/** Harness.gql against the GraphQL endpoint at `graphqlUrl` (another replica over the same store, say). */
export function gqlAt(graphqlUrl: string): Harness['gql'] {
  return async <T>(query: string, variables?: Record<string, unknown>, requestOptions: { key?: string; headers?: Record<string, string> } = {}) => {
    const response = await fetch(graphqlUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(requestOptions.key ? { authorization: `Bearer ${requestOptions.key}` } : {}),
        ...requestOptions.headers,
      },
      body: JSON.stringify({ query, variables }),
    });
    const text = await response.text();
    const body = JSON.parse(text) as { data?: T | null; errors?: GraphQLAnswer<T>['errors'] };
    return { status: response.status, headers: response.headers, text, ...body };
  };
}

/** Runs `test` against a harness of its own, closed afterwards whatever happens. */
export async function withHarness<T>(options: HarnessOptions, test: (harness: Harness) => Promise<T>): Promise<T> {
  const harness = await startHarness(options);
  try {
    return await test(harness);
  } finally {
    await harness.close();
  }
}

/** Asks until `done` says yes, for state that changes over time (a backup being made). Bounded. */
export async function eventually<T>(probe: () => Promise<T>, done: (value: T) => boolean, { timeoutMs = 10_000, intervalMs = 50 } = {}): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms; last value: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** The codes of an answer's errors. */
export const errorCodes = (answer: GraphQLAnswer<unknown>): string[] => (answer.errors ?? []).map((error) => String(error.extensions?.code));
