import { expect } from 'vitest';

/**
 * Each client key gets the instances of the one Zomro account, with no provider error: the keys
 * and the Zomro session were read from where the container's or pod's setup puts them.
 */
export async function expectEachKeyServed(graphqlUrl: string, keys: readonly string[]): Promise<void> {
  for (const key of keys) {
    const response = await fetch(graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ query: '{ instances { totalCount providerErrors { code } } }' }),
    });
    const answer = (await response.json()) as { data: { instances: { totalCount: number; providerErrors: unknown[] } } };
    // The Zomro session read from its file: the simulator accepts it, so no provider error.
    expect(answer.data.instances.providerErrors).toEqual([]);
    expect(answer.data.instances.totalCount).toBeGreaterThan(0);
  }
}
