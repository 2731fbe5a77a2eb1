import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { Request, Response } from 'express';

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

interface Page {
  gzipped: Buffer;
  etag: string;
}

// Plain JavaScript, so it runs the same under tsx and from dist/. The yoga
// bundle hands GraphiQL only the doc explorer (its own plugins list replaces
// GraphiQL's default, which is the history panel), and JSON options cannot
// carry a plugin: the renderer adds the bundle's own history plugin to that
// list. Both patterns are checked; a renderer upgrade that moves them fails
// the page (and test/browser/graphiql.test.ts) instead of dropping history.
// The fetcher parses in the page and a syntax error (an empty editor) would be
// shown with its stack through minified code: it answers { errors } instead.
const RENDER = `
const { gzipSync } = require('node:zlib');
const { module, options } = JSON.parse(process.env.GRAPHIQL_RENDER);
const { renderGraphiQL } = require(module);
let html = renderGraphiQL(options);
const history = /const (\\w+)=\\{title:"History",/.exec(html);
const plugins = /plugins:\\[(\\w+)\\],schemaDescription:/g;
const found = html.match(plugins);
if (!history || !found || found.length !== 1) throw new Error('GraphiQL bundle: history plugin not found');
html = html.replace(plugins, (_, explorer) => 'plugins:[' + explorer + ',' + history[1] + '],schemaDescription:');
const parse = /return function\\((\\w+),(\\w+)\\)\\{const (\\w+)=(\\w+\\((\\w+)\\(\\1\\.query\\),\\1\\.operationName\\?\\?void 0\\));/g;
const parses = html.match(parse);
if (!parses || parses.length !== 1) throw new Error('GraphiQL bundle: fetcher not found');
html = html.replace(parse, (_, request, options, doc, call) =>
  'return function(' + request + ',' + options + '){let ' + doc + ';try{' + doc + '=' + call + '}catch(e){' +
  'return Promise.resolve({errors:[{message:String(e&&e.message||e),...(e&&e.locations?{locations:e.locations}:{})}]})}');
const bytes = Buffer.from(html, 'utf8');
process.stdout.write(Buffer.concat([Buffer.from(bytes.length + '\\n'), gzipSync(bytes)]));
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

/** The renderer's options: our tabs, name and mark; subscriptions over graphql-ws (the gateway's /graphql socket). */
export function graphiqlOptions(endpoint: string, { authExample = false }: GraphiqlOptions = {}): Record<string, unknown> {
  const headers = authExample ? AUTH_HEADERS_EXAMPLE : undefined;
  return {
    endpoint,
    title: 'Backup Graph',
    logo: LOGO,
    // The default favicon is the renderer's 150 kB icon file; the mark is 0.6 kB.
    favicon: `data:image/svg+xml,${encodeURIComponent(LOGO)}`,
    subscriptionsProtocol: 'WS',
    defaultQuery: DASHBOARD_QUERY,
    defaultTabs: [
      { query: DASHBOARD_QUERY, headers },
      { query: PROTECTION_QUERY, headers },
    ],
    ...(headers ? { defaultHeaders: headers, headers } : {}),
  };
}

/**
 * Renders the page in a short-lived child process: the renderer is a 9 MB
 * module whose source V8 keeps for the life of the process that loads it (34
 * MB of RSS after the first view when it was imported here; a worker thread
 * still left 30 MB in the allocator). This process keeps only the gzipped
 * page (~2 MB).
 */
function renderPage(options: Record<string, unknown>): Promise<Page> {
  const module = createRequire(import.meta.url).resolve('@graphql-yoga/render-graphiql');
  return new Promise<Page>((resolve, reject) => {
    execFile(
      process.execPath,
      ['-e', RENDER],
      { encoding: 'buffer', maxBuffer: 64 * 1024 * 1024, env: { ...process.env, NODE_OPTIONS: '', GRAPHIQL_RENDER: JSON.stringify({ module, options }) } },
      (error, stdout) => {
        const newline = stdout.indexOf(10);
        if (error || newline < 0) return reject(error ?? new Error('GraphiQL renderer wrote no page'));
        const length = Number(stdout.subarray(0, newline).toString());
        const gzipped = Buffer.from(stdout.subarray(newline + 1));
        resolve({ gzipped, etag: `"${gzipped.length.toString(16)}-${length.toString(16)}"` });
      },
    );
  });
}

/**
 * GraphiQL as one self-contained page (no CDN: every asset is inlined by
 * @graphql-yoga/render-graphiql), rendered on the first view, not at start,
 * and served with a long cache lifetime.
 */
export function graphiqlHandler(endpoint: string, options: GraphiqlOptions = {}): (req: Request, res: Response) => void {
  let page: Promise<Page> | null = null;
  const send = (req: Request, res: Response, { gzipped, etag }: Page) => {
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.setHeader('cache-control', 'public, max-age=3600');
    res.setHeader('etag', etag);
    res.setHeader('vary', 'accept, accept-encoding');
    if (req.headers['if-none-match'] === etag) {
      res.status(304).end();
      return;
    }
    if (/\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))) {
      res.setHeader('content-encoding', 'gzip');
      res.end(gzipped);
    } else {
      // Every browser takes gzip; the rare client that does not gets it inflated on the way out.
      Readable.from([gzipped]).pipe(createGunzip()).pipe(res);
    }
  };
  return (req, res) => {
    page ??= renderPage(graphiqlOptions(endpoint, options));
    page.then(
      (rendered) => send(req, res, rendered),
      () => {
        page = null; // the next view tries again
        res.status(500).json({ errors: [{ message: 'internal error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
      },
    );
  };
}

/** GraphiQL for browsers (Accept: text/html), GraphQL-over-GET for everyone else. */
export const wantsGraphiql = (req: Request): boolean =>
  req.method === 'GET' && typeof req.query.query !== 'string' && String(req.headers.accept ?? '').includes('text/html');
