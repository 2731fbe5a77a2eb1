/**
 * Prints the backup dashboard of a running Backup Graph gateway as a table.
 *
 *   npx tsx examples/dashboard-client/src/dashboard.ts [url]
 *
 * URL: the first argument, else BACKUP_GRAPH_URL, else http://127.0.0.1:4000/graphql.
 * BACKUP_GRAPH_KEY, when set, is sent as `authorization: Bearer <key>`.
 */
import { print } from 'graphql';
import type { ResultOf, TypedDocumentNode } from '@graphql-typed-document-node/core';
import { graphql } from './gql/index.js';

const DashboardQuery = graphql(`
  query Dashboard($first: Int!, $after: String) {
    # the accounts asked, for "3 of 4 provider accounts answered" beside providerErrors
    providers {
      id
    }
    instances(first: $first, after: $after) {
      edges {
        node {
          id
          name
          state
          provider {
            id
            kind
          }
          backups {
            createdAt
          }
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
      providerErrors {
        provider {
          id
        }
        code
        message
      }
    }
  }
`);

interface GraphQLResponse<T> {
  data?: T | null;
  errors?: Array<{ message: string; extensions?: { code?: string } }>;
}

/** Sends one typed operation; the answer's type follows from the document. */
async function request<TResult, TVariables>(url: string, document: TypedDocumentNode<TResult, TVariables>, variables: TVariables): Promise<GraphQLResponse<TResult>> {
  const key = process.env.BACKUP_GRAPH_KEY;
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
      body: JSON.stringify({ query: print(document), variables }),
    });
  } catch (error) {
    // fetch says only "fetch failed"; the cause (ECONNREFUSED, ENOTFOUND...) is what a person needs
    const cause = error instanceof Error && error.cause instanceof Error ? ((error.cause as NodeJS.ErrnoException).code ?? error.cause.message) : String(error);
    // A refused connection is a gateway not started, or a wrong port (4000 while a config's gateway listens elsewhere).
    const next = cause === 'ECONNREFUSED' ? ': nothing listens at that port: start the gateway, or give the address its start line logs (GraphiQL: ...)' : '';
    throw new Error(`cannot reach ${url}: ${cause}${next}`);
  }
  const text = await response.text();
  try {
    return JSON.parse(text) as GraphQLResponse<TResult>;
  } catch {
    throw new Error(`${url} answered HTTP ${response.status} without GraphQL JSON`);
  }
}

interface Row {
  instance: string;
  provider: string;
  state: string;
  backups: string;
  newest: string;
}

function formatTable(rows: Row[]): string {
  const header: Row = { instance: 'INSTANCE', provider: 'PROVIDER', state: 'STATE', backups: 'BACKUPS', newest: 'NEWEST BACKUP' };
  const columns = Object.keys(header) as Array<keyof Row>;
  const widths = columns.map((column) => Math.max(...[header, ...rows].map((row) => row[column].length)));
  return [header, ...rows].map((row) => columns.map((column, i) => row[column].padEnd(widths[i]!)).join('  ').trimEnd()).join('\n');
}

/** The newest of the backups' dates; the gateway sorts newest first, but a dateless backup may lead. */
function newest(dates: Array<string | null | undefined>): string {
  const known = dates.filter((date): date is string => typeof date === 'string').sort();
  return known.at(-1) ?? '-';
}

async function main(): Promise<void> {
  const url = process.argv[2] ?? process.env.BACKUP_GRAPH_URL ?? 'http://127.0.0.1:4000/graphql';
  const rows: Row[] = [];
  const problems: string[] = [];
  const accounts = new Set<string>();
  // An account may be named in several entries, and on some pages only: count each once.
  const failedAccounts = new Set<string>();
  // A provider may list its instances in another order between two pages (no provider promises
  // an order), and the gateway's cursors keep none: the page after may serve again an instance
  // already shown. Each instance is one row, its first.
  const shownInstances = new Set<string>();
  let after: string | null = null;
  do {
    // annotated: `after` comes from the previous answer, which TypeScript cannot infer in a loop
    const answer: GraphQLResponse<ResultOf<typeof DashboardQuery>> = await request(url, DashboardQuery, { first: 200, after });
    for (const error of answer.errors ?? []) problems.push(`${error.extensions?.code ?? 'ERROR'}: ${error.message}`);
    const page = answer.data?.instances;
    if (!page) break;
    for (const { id } of answer.data?.providers ?? []) accounts.add(id);
    for (const { provider, code, message } of page.providerErrors) {
      problems.push(`${provider.id} ${code}: ${message}`);
      failedAccounts.add(provider.id);
    }
    for (const { node } of page.edges) {
      if (shownInstances.has(node.id)) continue;
      shownInstances.add(node.id);
      rows.push({
        instance: node.name,
        provider: `${node.provider.id} (${node.provider.kind})`,
        state: node.state ?? '-',
        // null: the provider could not list this instance's backups (an error says why)
        backups: node.backups ? String(node.backups.length) : '?',
        newest: node.backups ? newest(node.backups.map((backup) => backup.createdAt)) : '?',
      });
    }
    after = page.pageInfo.hasNextPage ? (page.pageInfo.endCursor ?? null) : null;
  } while (after);

  // With no rows, errors mean the question went unanswered (a wrong key, every provider down):
  // an empty table would read as "no instances", so only the errors are printed. With no rows
  // and no errors the gateway has no instances, and the header alone says so.
  const unanswered = rows.length === 0 && problems.length > 0;
  if (!unanswered) console.log(formatTable(rows));
  for (const problem of problems) console.error(problem);
  if (failedAccounts.size > 0) {
    const answered = [...accounts].filter((id) => !failedAccounts.has(id)).length;
    console.error(`${answered} of ${accounts.size} provider accounts answered; the table lacks the instances of ${[...failedAccounts].join(', ')}`);
  }
  // The gateway's words are about a header; this script sends it from BACKUP_GRAPH_KEY.
  const refused = problems.find((problem) => problem.startsWith('UNAUTHENTICATED: '));
  if (refused !== undefined) {
    // A key left exported from a config's gateway, sent to the demo: another key from "its config" was no way out.
    if (process.env.BACKUP_GRAPH_KEY && refused.includes('has no client keys')) console.error('unset BACKUP_GRAPH_KEY: this gateway takes no key (demo mode, or a config without clients)');
    else console.error(process.env.BACKUP_GRAPH_KEY ? 'BACKUP_GRAPH_KEY is not a key this gateway knows: use a client key from its config' : 'set BACKUP_GRAPH_KEY to a client key from the gateway\'s config');
  }
  if (unanswered) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
});
