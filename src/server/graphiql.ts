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

/**
 * GraphiQL as one self-contained page (no CDN: every asset is inlined by
 * @graphql-yoga/render-graphiql). It is ~9 MB, so it is rendered and gzipped
 * once, on first use, and served with a long cache lifetime.
 */
export function graphiqlHandler(endpoint: string): (req: Request, res: Response) => void {
  let page: { html: Buffer; gzipped: Buffer; etag: string } | null = null;
  const render = () => {
    const html = Buffer.from(renderGraphiQL({ endpoint, defaultQuery: DASHBOARD_QUERY, title: 'Backup Graph' }), 'utf8');
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
