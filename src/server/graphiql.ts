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

// Plain JavaScript, so it runs the same under tsx and from dist/.
const RENDER = `
const { gzipSync } = require('node:zlib');
const { module, options } = JSON.parse(process.env.GRAPHIQL_RENDER);
const { renderGraphiQL } = require(module);
const html = Buffer.from(renderGraphiQL(options), 'utf8');
process.stdout.write(Buffer.concat([Buffer.from(html.length + '\\n'), gzipSync(html)]));
`;

/**
 * Renders the page in a short-lived child process: the renderer is a 9 MB
 * module whose source V8 keeps for the life of the process that loads it (34
 * MB of RSS after the first view when it was imported here; a worker thread
 * still left 30 MB in the allocator). This process keeps only the gzipped
 * page (~2 MB).
 */
function renderPage(endpoint: string): Promise<Page> {
  const module = createRequire(import.meta.url).resolve('@graphql-yoga/render-graphiql');
  const options = { endpoint, defaultQuery: DASHBOARD_QUERY, defaultTabs: [{ query: DASHBOARD_QUERY }, { query: PROTECTION_QUERY }], title: 'Backup Graph' };
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
export function graphiqlHandler(endpoint: string): (req: Request, res: Response) => void {
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
    page ??= renderPage(endpoint);
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
