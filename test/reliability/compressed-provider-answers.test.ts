import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { harnessBehindFront } from '../helpers/front-server.js';
import type { Harness } from '../helpers/harness.js';

const ACCOUNT = 'onapp-front';
/** 64 MiB of blanks, gzipped to some 64 KB: far past the answer size limit once inflated. */
const GZIP_BOMB = gzipSync(Buffer.alloc(64 * 1024 * 1024, 0x20));

type Listed = { instances: { totalCount: number; providerErrors: Array<{ code: string; message: string }> } };
const LIST = `{ instances(providerId: "${ACCOUNT}") { totalCount providerErrors { code message } } }`;

/**
 * OnApp behind a front playing a server (or a proxy before it) that compresses answers. RFC 9110
 * (12.5.3) reads a request with no Accept-Encoding as taking any coding, so a server may gzip an
 * answer the gateway, which inflates nothing, then read as malformed JSON: the gateway asks for
 * `identity`. A server that compresses all the same is told as that, and its answer, a gzip bomb
 * here, is never inflated.
 */
describe('provider answers in a content coding', () => {
  let harness: Harness;
  let close: () => Promise<void>;
  let mode: 'when-not-refused' | 'always' | 'refused' | 'mislabelled' = 'when-not-refused';
  const acceptEncodings: Array<string | undefined> = [];

  beforeAll(async () => {
    ({ harness, close } = await harnessBehindFront('onapp', ACCOUNT, (req, res) => {
      if (!req.url?.startsWith('/virtual_machines.json')) return false;
      const asked = req.headers['accept-encoding'];
      acceptEncodings.push(asked);
      if (mode === 'refused') {
        res.writeHead(401, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
        res.end(gzipSync(Buffer.from('{"errors":["Access denied"]}')));
        return true;
      }
      if (mode === 'always') {
        res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
        res.end(GZIP_BOMB);
        return true;
      }
      if (mode === 'mislabelled') {
        fetch(`${harness.simulator('onapp').url}${req.url}`, { headers: { authorization: String(req.headers.authorization), accept: 'application/json' } }).then(
          async (answer) => {
            // A charset where a coding goes: a server misconfiguration seen in the wild (PHP's header('Content-Encoding: UTF-8')).
            res.writeHead(answer.status, { 'content-type': 'application/json', 'content-encoding': 'UTF-8' });
            res.end(Buffer.from(await answer.arrayBuffer()));
          },
          () => res.destroy(),
        );
        return true;
      }
      if (asked !== undefined) return false;
      fetch(`${harness.simulator('onapp').url}${req.url}`, { headers: { authorization: String(req.headers.authorization), accept: 'application/json' } }).then(
        async (answer) => {
          res.writeHead(answer.status, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
          res.end(gzipSync(Buffer.from(await answer.arrayBuffer())));
        },
        () => res.destroy(),
      );
      return true;
    }));
  });
  afterAll(() => close?.());

  it('asks for answers as they are, and reads those of a server that compresses when not told otherwise', async () => {
    mode = 'when-not-refused';
    const answer = await harness.gql<Listed>(LIST);
    expect(answer.data?.instances.providerErrors).toEqual([]);
    expect(answer.data?.instances.totalCount).toBeGreaterThan(0);
    expect(acceptEncodings.at(-1)).toBe('identity');
  });

  it('tells a compressed answer sent all the same as compressed, not as malformed JSON, and never inflates it', async () => {
    mode = 'always';
    const answer = await harness.gql<Listed>(LIST);
    expect(answer.data?.instances.totalCount).toBe(0);
    expect(answer.data?.instances.providerErrors).toEqual([
      { code: 'PROVIDER_ERROR', message: `provider ${ACCOUNT} sent a compressed answer (Content-Encoding) though asked for none (Accept-Encoding: identity): check a proxy in front of it` },
    ]);
    expect(harness.logs.filter((line) => line.includes('"level":50'))).toEqual([]);
  });

  it('reads an answer whose Content-Encoding names no compression (a charset set there by mistake) as it is: nothing to inflate', async () => {
    mode = 'mislabelled';
    const answer = await harness.gql<Listed>(LIST);
    expect(answer.data?.instances.providerErrors).toEqual([]);
    expect(answer.data?.instances.totalCount).toBeGreaterThan(0);
  });

  it('guard: a coded error status is still told by its status (a 401 is the key refused)', async () => {
    mode = 'refused';
    const answer = await harness.gql<Listed>(LIST);
    expect(answer.data?.instances.providerErrors).toEqual([expect.objectContaining({ code: 'PROVIDER_ERROR', message: expect.stringContaining(`provider ${ACCOUNT} refused the gateway's credentials (HTTP 401)`) })]);
  });
});
