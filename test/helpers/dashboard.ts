import type { Harness } from './harness.js';

/**
 * The dashboard as the provider tests ask it: every instance with its
 * backups, schedules and definitions, and the fields where providers differ
 * (sizes, dates, zones, compression, raw records). Tests that need the product's
 * own dashboard exactly use DASHBOARD_QUERY from src/server/graphiql.ts.
 */
export const DETAILED_DASHBOARD = `query DetailedDashboard {
  instances(first: 500) {
    totalCount
    providerErrors { provider { id } code message }
    edges {
      node {
        id nativeId name state
        provider { id kind }
        backups { id nativeId name status protected sizeBytes minDiskBytes createdAt region raw definition { name } }
        schedules { id name cron weekdays time nextRunAt timezone }
        definitions { id name retention active compression schedule { cron timezone nextRunAt } }
      }
    }
  }
}`;

export interface DashboardNode {
  id: string;
  nativeId: string;
  name: string;
  state: string;
  provider: { id: string; kind: string };
  backups: Array<{
    id: string;
    nativeId: string;
    name: string;
    status: string;
    protected: boolean;
    sizeBytes: number | null;
    minDiskBytes: number | null;
    createdAt: string | null;
    region: string | null;
    raw: Record<string, unknown>;
    definition: { name: string } | null;
  }>;
  schedules: Array<{ id: string; name: string; cron: string; weekdays: string[]; time: string | null; nextRunAt: string | null; timezone: string }>;
  definitions: Array<{ id: string; name: string; retention: number; active: boolean; compression: string | null; schedule: { cron: string; timezone: string; nextRunAt: string | null } }>;
}

/** Asks the detailed dashboard and returns its instances; an answer with errors fails the test. */
export async function dashboardNodes(harness: Harness): Promise<DashboardNode[]> {
  const answer = await harness.gql<{ instances: { edges: Array<{ node: DashboardNode }> } }>(DETAILED_DASHBOARD);
  if (answer.errors) throw new Error(`dashboard answered with errors: ${JSON.stringify(answer.errors)}`);
  return answer.data!.instances.edges.map((edge) => edge.node);
}
