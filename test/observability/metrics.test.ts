import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../helpers/harness.js';

describe('/metrics', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zomro'] });
  });
  afterAll(() => harness.close());

  it('exposes upstream durations, breaker state, GraphQL durations and errors, batch sizes, the build and process metrics', async () => {
    await harness.gql('{ instances { edges { node { backups { id } } } } }');
    await harness.gql('{ instance(id: "garbage") { id } }');
    const response = await fetch(`${harness.gateway.adminUrl}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    const text = await response.text();
    expect(text).toMatch(/backup_graph_upstream_request_duration_seconds_count\{provider="zomro-test",kind="zomro",operation="instances\.fleio_bckps",outcome="ok"\} 6/);
    expect(text).toMatch(/backup_graph_upstream_breaker_state\{provider="zomro-test"\} 0/);
    expect(text).toMatch(/backup_graph_graphql_request_duration_seconds_count\{operation_type="query"\} [1-9]/);
    expect(text).toMatch(/backup_graph_graphql_errors_total\{code="BAD_USER_INPUT"\} 1/);
    expect(text).toMatch(/backup_graph_dataloader_batch_size_sum\{loader="backups"\} 6/);
    // Run from the sources: the build id of a bundle is checked in build-script.test.ts.
    expect(text).toContain('backup_graph_build_info{build="source"} 1');
    expect(text).toContain('process_cpu_user_seconds_total');
    expect(text).not.toContain('sim-zomro-token');
  });
});
