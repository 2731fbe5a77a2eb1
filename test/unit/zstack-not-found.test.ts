import { describe, expect, it } from 'vitest';
import { isExpiredJobAnswer, isResourceNotFound, noApiAt } from '../../src/providers/zstack/not-found.js';

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

describe("isExpiredJobAnswer: a job poll's 404 in ZStack's own words", () => {
  it('reads "the job has been expired" whole, less blanks around it, in any case', () => {
    for (const text of ['the job has been expired', ' The Job Has Been Expired\n', 'THE JOB HAS BEEN EXPIRED']) expect(isExpiredJobAnswer(null, text), text).toBe(true);
    // Up to 63 characters with its blanks.
    expect(isExpiredJobAnswer(null, `the job has been expired${' '.repeat(39)}`)).toBe(true);
  });

  it('reads no other text: none, words around them, a page, or the words padded to 64 characters or more', () => {
    for (const text of ['', 'not found', 'the job has been expired.', 'job the job has been expired', 'the job has been', `the job has been expired${' '.repeat(40)}`]) {
      expect(isExpiredJobAnswer(null, text), JSON.stringify(text)).toBe(false);
    }
  });
});
