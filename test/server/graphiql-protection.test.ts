import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DASHBOARD_QUERY, PROTECTION_QUERY } from '../../src/server/graphiql.js';
import { startHarness, type Harness } from '../helpers/harness.js';

describe('GraphiQL: the protection query in a second preloaded tab', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zomro', 'danube'] });
  });
  afterAll(() => harness.close());

  it('the page preloads the dashboard tab and the protection tab', async () => {
    const response = await fetch(harness.gateway.graphqlUrl, { headers: { accept: 'text/html' } });
    const html = await response.text();
    expect(response.status).toBe(200);
    expect(html).toContain('defaultTabs');
    expect(html.indexOf('protectionSummary')).toBeGreaterThan(html.indexOf('query Dashboard'));
    expect(DASHBOARD_QUERY).toContain('query Dashboard');
  });

  it('the preloaded protection query runs within the limits and answers', async () => {
    const answer = await harness.gql<{ protectionSummary: { counts: { instances: number } }; instances: { totalCount: number } }>(PROTECTION_QUERY);
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.protectionSummary.counts.instances).toBe(12);
    // Zomro and Danube each have one PROTECTED instance in the demo data: the rest need attention.
    expect(answer.data!.instances.totalCount).toBe(10);
  });
});
