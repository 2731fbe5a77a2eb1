import { describe, expect, it } from 'vitest';
import { isResourceNotFound, noApiAt } from '../../src/providers/zstack/not-found.js';

describe("zstack: a 404's body", () => {
  it("is a missing resource only where ZStack's error says SYS.1003", () => {
    expect(isResourceNotFound({ error: { code: 'SYS.1003', description: 'cannot find image store' } })).toBe(true);
  });

  it('is not one for another ZStack error, an error without its code, or no ZStack error at all', () => {
    const others: unknown[] = [
      { error: { code: 'SYS.1007' } },
      { error: { code: 'sys.1003' } },
      { error: { description: 'SYS.1003' } },
      { error: 'SYS.1003' },
      { error: null },
      { code: 'SYS.1003' },
      {},
      null,
      undefined,
      'no api mapping to /zstack/v1/vm-backups',
    ];
    for (const body of others) expect(isResourceNotFound(body), JSON.stringify(body)).toBe(false);
  });

  it("a path no API maps is PROVIDER_ERROR HTTP_404 naming the account, the method and the gateway's path", () => {
    const error = noApiAt('zstack-test', 'PUT', '/zstack/v1/vm-backups/imageStore/abc/actions');
    expect(error).toMatchObject({
      code: 'PROVIDER_ERROR',
      message: "provider zstack-test has no API at PUT /zstack/v1/vm-backups/imageStore/abc/actions (HTTP 404): the ZStack answering is older than that API, or the account's url is wrong",
      details: { provider: 'zstack-test', providerCode: 'HTTP_404' },
    });
  });
});
