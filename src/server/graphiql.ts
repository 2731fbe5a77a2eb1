import { gzipSync } from 'node:zlib';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
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

/**
 * GraphiQL as one self-contained page (no CDN: every asset is inlined by
 * @graphql-yoga/render-graphiql). It is ~9 MB, so it is rendered and gzipped
 * once, on first use, and served with a long cache lifetime.
 */
export function graphiqlHandler(endpoint: string): (req: Request, res: Response) => void {
  let page: { html: Buffer; gzipped: Buffer; etag: string } | null = null;
  const render = () => {
    const html = Buffer.from(renderGraphiQL({ endpoint, defaultQuery: DASHBOARD_QUERY, defaultTabs: [{ query: DASHBOARD_QUERY }, { query: PROTECTION_QUERY }], title: 'Backup Graph' }), 'utf8');
    const gzipped = gzipSync(html);
    return { html, gzipped, etag: `"${gzipped.length.toString(16)}-${html.length.toString(16)}"` };
  };
  return (req, res) => {
    page ??= render();
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.setHeader('cache-control', 'public, max-age=3600');
    res.setHeader('etag', page.etag);
    res.setHeader('vary', 'accept, accept-encoding');
    if (req.headers['if-none-match'] === page.etag) {
      res.status(304).end();
      return;
    }
    if (/\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))) {
      res.setHeader('content-encoding', 'gzip');
      res.end(page.gzipped);
    } else {
      res.end(page.html);
    }
  };
}

/** GraphiQL for browsers (Accept: text/html), GraphQL-over-GET for everyone else. */
export const wantsGraphiql = (req: Request): boolean =>
  req.method === 'GET' && typeof req.query.query !== 'string' && String(req.headers.accept ?? '').includes('text/html');
