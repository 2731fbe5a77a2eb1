import { createServer, type Server } from 'node:http';
import { requestTimeouts } from './request-timeouts.js';
import { closeAfterAnswersBeforeBody } from './unread-body-close.js';
import { keepEveryHeaderLine } from './header-lines.js';
import { answerUnreadableRequests } from './unreadable-requests.js';
import { noSniff } from './no-sniff.js';
import { answerWhatNodeRefused } from './requests-node-answers.js';
import { refuseAdminUpgrades } from './admin-upgrade.js';
import { readBeforeClosingKeptAlive } from './keep-alive-reads-first.js';
import type { AddressInfo } from 'node:net';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { GatewayConfig } from '../config/schema.js';
import type { ProviderSet } from '../gateway/provider-set.js';
import type { GatewayMetrics } from '../observability/metrics.js';
import { healthz, readyz } from './health.js';
import { adminHostAllowed } from './admin-host.js';
import { boundAddress, isWildcardHost } from './bound-address.js';
import { capConnectionsPerAddress, type ConnectionRefusal } from './connections-per-address.js';
import type { RedisConnectionState } from '../state/redis-connection-state.js';
import { adminPortVariable } from '../config/admin-port-variable.js';

/**
 * TCP connections one address may hold open on the admin listener (fewer when
 * `limits.maxConnectionsPerAddress` is lower). Its clients are a kubelet's probes and a
 * scraper or two, each with a connection or two; in Kubernetes it listens on 0.0.0.0, and
 * uncapped, one pod of the cluster held as many sockets as the process had descriptors.
 */
export const ADMIN_CONNECTIONS_PER_ADDRESS = 16;

/** What the public listener answers at /metrics: where the metrics are, without the address (the start log has it). */
export const ADMIN_ONLY_METRICS = 'not found: /metrics is served on the admin listener (admin.host and admin.port in the config; its address is logged at start as adminUrl)';

/**
 * What the admin listener answers at a path that is none of its routes. The start line prints its
 * adminUrl beside url, and a query sent to the first address there read a bare "not found".
 */
export const ADMIN_NOT_FOUND =
  'not found: this is the admin listener (/metrics, /readyz, /healthz); GraphQL is at /graphql on the gateway port (listen.port; its address is logged at start as url, beside adminUrl)';

/** Why the admin listener refused a request sent to a name it does not know (DNS rebinding). */
export const ADMIN_HOST_MESSAGE =
  'the admin listener answers requests to an IP address, localhost or a name in admin.allowedHosts only (Host names another site: DNS rebinding?)';

export interface AdminListener {
  /** A URL to open from this machine (loopback for a wildcard address). */
  url: string;
  /** The address bound, host:port (bound-address.ts). */
  listen: string;
  /** The listener's server itself (tests set a shorter keepAliveTimeout on it, as on the main one). */
  server: Server;
  close(): Promise<void>;
}

/**
 * /metrics and the detailed /readyz (provider ids, health, breaker states) on
 * a listener of their own, loopback by default: they name every provider
 * account, which no API client needs to see.
 */
export async function startAdminListener(admin: GatewayConfig['admin'], dependencies: AdminDependencies, cap: AdminConnectionCap): Promise<AdminListener> {
  const app = express();
  app.disable('x-powered-by');
  app.use(noSniff);
  app.get('/healthz', healthz);
  // Loopback is no guard against a page of another site: it can point a name of its own at
  // 127.0.0.1 (DNS rebinding) and read these routes as its own origin. Its requests name that
  // site in their Host; scrapers and probes send an address, or a name the config lists (admin-host.ts).
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (adminHostAllowed(req, admin.allowedHosts)) return next();
    cap.onRefusedHost?.({ remote: req.socket.remoteAddress ?? '', host: String(req.headers.host) });
    res.status(403).json({ errors: [{ message: ADMIN_HOST_MESSAGE, extensions: { code: 'FORBIDDEN' } }] });
  });
  app.use(adminRoutes(dependencies));
  app.use((_req: Request, res: Response) => {
    res.status(404).json({ errors: [{ message: ADMIN_NOT_FOUND, extensions: { code: 'NOT_FOUND' } }] });
  });
  const bodyUnread = closeAfterAnswersBeforeBody(app);
  const server: Server = createServer({ ...requestTimeouts(cap.requestTimeoutMs), ServerResponse: bodyUnread.ServerResponse }, bodyUnread.listener);
  keepEveryHeaderLine(server);
  // Scrapers and probes keep their connections alive, and node's keep-alive timer, run before the
  // sockets are read, closed one whose next scrape had arrived during a held turn: a failed scrape
  // (up 0) or probe with nothing wrong but a slow turn.
  readBeforeClosingKeptAlive(server);
  answerUnreadableRequests(server);
  answerWhatNodeRefused(server);
  refuseAdminUpgrades(server);
  // No trusted proxies here: nothing should stand between the listener and its few clients.
  capConnectionsPerAddress(server, { perAddress: Math.min(cap.perAddress, ADMIN_CONNECTIONS_PER_ADDRESS), trustedProxies: [], onRefused: cap.onRefused });
  await new Promise<void>((resolve, reject) => {
    // Tagged, so a port in use is reported as the admin port (set by admin.port, not PORT), and by
    // the variable that set it where the file wrote `${NAME}` (the replicas' shared file is not what to edit).
    const portVariable = adminPortVariable(admin);
    server.once('error', (error) => reject(Object.assign(error, { listener: 'admin' }, portVariable === undefined ? {} : { portVariable })));
    server.listen(admin.port, admin.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${formatHost(admin.host)}:${port}`,
    listen: boundAddress(admin.host, port),
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** How the admin listener bounds its connections: how many per address, and how long a request may take to arrive. */
export interface AdminConnectionCap {
  /** `limits.maxConnectionsPerAddress`: the admin listener takes at most ADMIN_CONNECTIONS_PER_ADDRESS. */
  perAddress: number;
  onRefused: (refusal: ConnectionRefusal) => void;
  /** A request refused for the name it was sent to (see ADMIN_HOST_MESSAGE). */
  onRefusedHost?: (refusal: { remote: string; host: string }) => void;
  /** Tests only: a shorter time to send a whole request (REQUEST_TIMEOUT_MS), as on the public listener. */
  requestTimeoutMs?: number | undefined;
}

export interface AdminDependencies {
  metrics: GatewayMetrics;
  providers: ProviderSet;
  isDraining: () => boolean;
  /** The store's and the operation bus's Redis connections, for the detailed /readyz. */
  redisConnections: () => readonly RedisConnectionState[];
}

/**
 * The admin listener's own routes: the detailed /readyz and /metrics. Demo
 * mode mounts them on the main port too (the contract says so: the demo is
 * loopback-only and anonymous-admin already).
 */
export function adminRoutes(dependencies: AdminDependencies): express.Router {
  const router = express.Router();
  router.get('/readyz', readyz(dependencies.providers, dependencies.isDraining, dependencies.redisConnections));
  router.get('/metrics', async (_req: Request, res: Response) => {
    res.setHeader('content-type', dependencies.metrics.registry.contentType);
    res.end(await dependencies.metrics.registry.metrics());
  });
  return router;
}

/** A host as it goes in a URL: wildcard addresses as loopback, IPv6 in brackets. */
export function formatHost(host: string): string {
  const shown = isWildcardHost(host) ? '127.0.0.1' : host;
  return shown.includes(':') ? `[${shown}]` : shown;
}

/**
 * The public /readyz: the same verdict as the admin one (one source of truth:
 * health.ts), but only the status, no provider list.
 */
export function bareReadyz(detailed: (req: Request, res: Response) => void) {
  return (req: Request, res: Response): void => {
    const json = res.json.bind(res);
    res.json = (body: { status?: unknown }) => json({ status: body.status });
    detailed(req, res);
  };
}
