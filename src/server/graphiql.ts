import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { Request, Response } from 'express';
import { assetInputs, buildAssets, sendCompressed, type Asset } from './graphiql-assets.js';
import { queryTextOf } from './query-text.js';
import { NOT_FOUND_BODY } from './not-found.js';

/** The query GraphiQL opens with: the dashboard, everything a backup overview needs. */
export const DASHBOARD_QUERY = `# The backup dashboard: every instance on every provider,
# with its backups, schedules and definitions.
query Dashboard {
  providers { id kind name health capabilities }
  instances(first: 500) {
    totalCount
    providerErrors { provider { id } code message }
    edges {
      node {
        id
        name
        state
        provider { id kind }
        backups { id name status sizeBytes createdAt protected }
        schedules { id name cron weekdays time nextRunAt }
        definitions { id name retention active schedule { cron nextRunAt } }
      }
    }
  }
}
`;

/** The second tab: the question a backup admin asks first, and the action that follows. */
export const PROTECTION_QUERY = `# Which machines are not protected? Counts per status, overall and per
# provider, then the instances that need attention (objective: config
# protection.rpoHours, 24 h by default; pass rpoHours to change it).
query Protection {
  protectionSummary {
    counts { instances protected stale unprotected unknown }
    providers { provider { id kind } rpoHours scheduleKnown counts { protected stale unprotected unknown } }
    providerErrors { provider { id } code message }
  }
  instances(first: 500, filter: { protection: [UNPROTECTED, STALE, UNKNOWN] }) {
    totalCount
    edges {
      node {
        id
        name
        provider { id kind }
        protection { status reason lastBackupAt nextRunAt scheduleKnown }
      }
    }
  }
}

# Then back them up now (operator role), one result per instance:
# mutation BackUpNow {
#   createBackups(input: { instanceIds: ["<id>", "<id>"], name: "now", definitionName: "daily", idempotencyKey: "backup-now-1" }) {
#     createdCount failedCount
#     results { instanceId operation { id status } error { code message } }
#   }
# }
`;

/** The product's mark (a disk with a check), inline so the page stays offline. */
const LOGO =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32" width="28" height="28" aria-label="Backup Graph">' +
  '<ellipse cx="16" cy="8" rx="11" ry="4" fill="none" stroke="currentColor" stroke-width="2"/>' +
  '<path d="M5 8v16c0 2.2 4.9 4 11 4s11-1.8 11-4V8" fill="none" stroke="currentColor" stroke-width="2"/>' +
  '<path d="M11 18l4 4 7-8" fill="none" stroke="hsl(145,60%,40%)" stroke-width="2.5" stroke-linecap="round" stroke-linejoin="round"/></svg>';

/** What the headers editor holds when the config names clients: the shape of the header, not a key. */
export const AUTH_HEADERS_EXAMPLE = JSON.stringify({ Authorization: 'Bearer <your client key>' }, null, 2);

export interface GraphiqlOptions {
  /** The config has clients: prefill the headers editor with an Authorization example. */
  authExample?: boolean;
}

/** GraphiQL's options: our tabs, name and mark; the endpoint the page's fetcher sends to (subscriptions over graphql-ws on the same path). */
export function graphiqlOptions(endpoint: string, { authExample = false }: GraphiqlOptions = {}): Record<string, unknown> {
  const headers = authExample ? AUTH_HEADERS_EXAMPLE : undefined;
  return {
    endpoint,
    title: 'Backup Graph',
    logo: LOGO,
    // The default favicon is the renderer's 150 kB icon file; the mark is 0.6 kB.
    favicon: `data:image/svg+xml,${encodeURIComponent(LOGO)}`,
    defaultQuery: DASHBOARD_QUERY,
    defaultTabs: [
      { query: DASHBOARD_QUERY, headers },
      { query: PROTECTION_QUERY, headers },
    ],
    // The renderer turns "Persist headers" on, which writes the headers editor,
    // client key and all, to the browser's localStorage on every edit. null
    // (not false, which also hides the choice) is GraphiQL's own default: off
    // until the person turns it on in Settings ("only if you trust this device").
    shouldPersistHeaders: null,
    ...(headers ? { defaultHeaders: headers, headers } : {}),
  };
}

const ASSET_DIRECTORY = 'graphiql';

/**
 * The shell runs no inline script (its options are a JSON data block), so the
 * page can refuse every script but its own files: a page that holds a client
 * key in its headers editor and runs mutations is no place for injected code,
 * nor for a frame on another site (clickjacking). Styles stay open: Monaco
 * and GraphiQL set them inline.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** The HTML shell: the options as JSON (`</` escaped, so no value can end the script element) and the versioned assets. */
function shellHtml({ favicon, ...options }: Record<string, unknown>, assetBase: string): string {
  const json = JSON.stringify(options).replace(/<(\/|!--)/g, '\\u003c$1');
  const asset = (name: string) => `${assetBase}/${name}`;
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>Backup Graph</title>
    <link rel="icon" href="${String(favicon)}" />
    <link rel="stylesheet" href="${asset('graphiql.css')}" />
    <script defer src="${asset('graphql-ws.js')}"></script>
    <script defer src="${asset('graphiql.js')}"></script>
    <script defer src="${asset('boot.js')}"></script>
  </head>
  <body id="body" class="no-focus-outline">
    <noscript>GraphiQL needs JavaScript.</noscript>
    <div id="root"></div>
    <script type="application/json" id="graphiql-options">${json}</script>
  </body>
</html>
`;
}

export interface GraphiqlHandlers {
  /** GET endpoint for a browser: the shell, a few KB, revalidated on each view (its asset paths change with an upgrade). */
  page(req: Request, res: Response): void;
  /** GET `${endpoint}/graphiql/:version/:file`: the script, stylesheet and workers, cached for a year. */
  asset(req: Request, res: Response): void;
  /** The route `asset` answers. */
  assetRoute: string;
}

const notFound = (res: Response) => res.status(404).json(NOT_FOUND_BODY);

/**
 * GraphiQL as a small HTML shell and static assets under a versioned path,
 * all served by the gateway (no CDN). Nothing is read or built at start: the
 * first view builds the assets (in a child process, see buildAssets) while
 * the browser parses the shell, and this process then keeps them compressed.
 */
export function graphiqlHandlers(endpoint: string, options: GraphiqlOptions = {}): GraphiqlHandlers {
  let inputs: ReturnType<typeof assetInputs> | null = null;
  let shell: { gzip: Buffer; etag: string } | null = null;
  let assets: Promise<Map<string, Asset>> | null = null;
  const versioned = () => (inputs ??= assetInputs());
  const built = () => {
    assets ??= buildAssets(versioned()).catch((error: unknown) => {
      assets = null; // the next request tries again
      throw error;
    });
    return assets;
  };
  return {
    assetRoute: `${endpoint}/${ASSET_DIRECTORY}/:version/:file`,
    page(req, res) {
      const { version } = versioned();
      if (!shell) {
        const html = Buffer.from(shellHtml(graphiqlOptions(endpoint, options), `${endpoint}/${ASSET_DIRECTORY}/${version}`));
        shell = { gzip: gzipSync(html, { level: 9 }), etag: `"${createHash('sha256').update(html).digest('hex').slice(0, 16)}"` };
      }
      built().catch(() => undefined); // started now, awaited by the asset requests
      res.setHeader('content-type', 'text/html; charset=utf-8');
      res.setHeader('cache-control', 'no-cache');
      res.setHeader('content-security-policy', CONTENT_SECURITY_POLICY);
      res.setHeader('x-content-type-options', 'nosniff');
      // The same URL answers GraphQL-over-GET to other clients.
      sendCompressed(req, res, shell, 'accept, accept-encoding');
    },
    asset(req, res) {
      const { version, file } = req.params;
      if (version !== versioned().version) return void notFound(res);
      built().then(
        (files) => {
          const found = typeof file === 'string' ? files.get(file) : undefined;
          if (!found) return void notFound(res);
          res.setHeader('content-type', found.type);
          res.setHeader('cache-control', 'public, max-age=31536000, immutable');
          res.setHeader('x-content-type-options', 'nosniff');
          sendCompressed(req, res, found);
        },
        () => res.status(500).json({ errors: [{ message: 'internal error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] }),
      );
    },
  };
}

/**
 * GraphiQL for browsers (Accept: text/html), GraphQL-over-GET for everyone else.
 * GraphiQL keeps the edited query in the address bar (?query=...): a browser
 * loading a page (Sec-Fetch-Dest: document) gets GraphiQL back on reload, not
 * the CSRF refusal a GET query without a preflight header earns.
 */
export const wantsGraphiql = (req: Request): boolean =>
  req.method === 'GET' &&
  String(req.headers.accept ?? '').includes('text/html') &&
  (typeof queryTextOf(req) !== 'string' || req.headers['sec-fetch-dest'] === 'document');
