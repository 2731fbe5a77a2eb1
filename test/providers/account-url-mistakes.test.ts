import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DANUBE_SIM_PASSWORD, DANUBE_SIM_USER } from '../../src/providers/danube/simulator.js';
import type { ProviderKind } from '../../src/providers/registry.js';
import { startHarness, withAccountCopy, type Harness } from '../helpers/harness.js';

/**
 * An account url with nothing that logs in behind it (a path too many, `/zstack/v1` added to
 * ZStack's base, or a web server that is not the API): every path answers 404. That is no refusal
 * of the credentials, which the gateway holds for 30 s and logs as "check the account's auth".
 */
describe('a login answered 404: the account url is wrong, not its credentials', () => {
  let nothingHere: Server;
  let url = '';
  const logins: string[] = [];
  beforeAll(async () => {
    nothingHere = createServer((req, res) => {
      if (/\/accounts\/login$/.test(req.url ?? '')) logins.push(req.url ?? '');
      res.writeHead(404, { 'content-type': 'text/html' }).end('<h1>Not Found</h1>');
    });
    await new Promise<void>((resolve) => nothingHere.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(nothingHere.address() as AddressInfo).port}/api`;
  });
  afterAll(() => new Promise<void>((resolve) => nothingHere.close(() => resolve())));

  const accounts: Array<{ kind: ProviderKind; auth?: Record<string, string> }> = [{ kind: 'zstack' }, { kind: 'danube', auth: { username: DANUBE_SIM_USER, password: DANUBE_SIM_PASSWORD } }];
  for (const { kind, auth } of accounts) {
    it(`${kind}: says to check the url, logs no refused login, and does not hold it`, async () => {
      const id = `${kind}-wrong-url`;
      let harness: Harness | undefined;
      try {
        harness = await startHarness({ kinds: [kind], configure: withAccountCopy(kind, { id, url, ...(auth ? { auth } : {}) }) });
        const ask = () => harness!.gql<{ instances: { providerErrors: Array<{ provider: { id: string }; code: string; message: string }> } }>('{ instances(first: 5) { providerErrors { provider { id } code message } } }');
        const before = logins.length;
        const first = await ask();
        const second = await ask();
        for (const answer of [first, second]) {
          expect(answer.data?.instances.providerErrors).toEqual([
            { provider: { id }, code: 'PROVIDER_ERROR', message: `provider ${id} has no login where its url points (HTTP 404): check the account's url in the config (the API's base URL)` },
          ]);
        }
        // Each request tried again: a url put right works at once, not 30 s later.
        expect(logins.length - before).toBe(2);
        expect(harness.logs.filter((line) => line.includes("refused the gateway's login"))).toEqual([]);
      } finally {
        await harness?.close();
      }
    });
  }
});

/** The same url mistake at an account without a login (OnApp's basic auth, a Danube API key): its instance list answers 404. */
describe('an instance list answered 404: the account url is wrong, no instance is missing', () => {
  let nothingHere: Server;
  let url = '';
  beforeAll(async () => {
    nothingHere = createServer((_req, res) => res.writeHead(404, { 'content-type': 'application/json' }).end('{"detail":"Not found."}'));
    await new Promise<void>((resolve) => nothingHere.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(nothingHere.address() as AddressInfo).port}/api/v1`;
  });
  afterAll(() => new Promise<void>((resolve) => nothingHere.close(() => resolve())));

  for (const kind of ['onapp', 'danube'] as const) {
    it(`${kind}: PROVIDER_ERROR saying to check the url, not NOT_FOUND "not found at the provider"`, async () => {
      const id = `${kind}-wrong-url`;
      let harness: Harness | undefined;
      try {
        harness = await startHarness({ kinds: [kind], configure: withAccountCopy(kind, { id, url }) });
        const answer = await harness.gql<{ instances: { providerErrors: Array<{ provider: { id: string }; code: string; message: string }> } }>('{ instances(first: 5) { providerErrors { provider { id } code message } } }');
        expect(answer.data?.instances.providerErrors).toEqual([
          { provider: { id }, code: 'PROVIDER_ERROR', message: `provider ${id} answered its instance list with not found (HTTP 404): check the account's url in the config (the API's base URL)` },
        ]);
      } finally {
        await harness?.close();
      }
    });
  }
});

/** Zomro with a session token posts every call to its url: a web server that is not BILLmanager answers 404 there. */
describe('a Zomro url answered 404 without a BILLmanager document: the account url is wrong', () => {
  let nothingHere: Server;
  let url = '';
  beforeAll(async () => {
    nothingHere = createServer((_req, res) => res.writeHead(404, { 'content-type': 'text/html' }).end('<h1>Not Found</h1>'));
    await new Promise<void>((resolve) => nothingHere.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(nothingHere.address() as AddressInfo).port}/`;
  });
  afterAll(() => new Promise<void>((resolve) => nothingHere.close(() => resolve())));

  it('zomro: says to check the url, as the other kinds do (it said "answered HTTP 404 without a BILLmanager document" alone)', async () => {
    const id = 'zomro-wrong-url';
    let harness: Harness | undefined;
    try {
      harness = await startHarness({ kinds: ['zomro'], configure: withAccountCopy('zomro', { id, url }) });
      const answer = await harness.gql<{ instances: { providerErrors: Array<{ provider: { id: string }; code: string; message: string }> } }>('{ instances(first: 5) { providerErrors { provider { id } code message } } }');
      expect(answer.data?.instances.providerErrors).toEqual([
        { provider: { id }, code: 'PROVIDER_ERROR', message: `provider ${id} answered HTTP 404 without a BILLmanager document: check the account's url in the config (the API's base URL)` },
      ]);
    } finally {
      await harness?.close();
    }
  });
});

/**
 * The same mistake against the ZStack simulator itself (the docs' own example, `/zstack/v1` added to its url):
 * ZStack's REST server finds the path's API before it asks for a session, so a path no API maps is its 404
 * "no api mapping", never a 400 "missing header 'Authorization'", which the gateway read as a refused login.
 */
describe('zstack simulator: a url with /zstack/v1 added answers the login 404', () => {
  it('says to check the url, logs no refused login, and reads no CREDENTIALS_REFUSED', async () => {
    const id = 'zstack-doubled-path';
    let harness: Harness | undefined;
    try {
      harness = await startHarness({ kinds: ['zstack'], configure: withAccountCopy('zstack', (original) => ({ id, url: `${String(original.url).replace(/\/$/, '')}/zstack/v1` })) });
      const answer = await harness.gql<{ providers: Array<{ id: string; health: string; healthCause: string | null }>; instances: { providerErrors: Array<{ provider: { id: string }; code: string; message: string }> } }>(
        '{ instances(first: 5) { providerErrors { provider { id } code message } } providers { id health healthCause } }',
      );
      expect(answer.data?.instances.providerErrors).toEqual([
        { provider: { id }, code: 'PROVIDER_ERROR', message: `provider ${id} has no login where its url points (HTTP 404): check the account's url in the config (the API's base URL)` },
      ]);
      expect(answer.data?.providers.find((provider) => provider.id === id)?.healthCause).not.toBe('CREDENTIALS_REFUSED');
      expect(harness.logs.filter((line) => line.includes("refused the gateway's login"))).toEqual([]);
    } finally {
      await harness?.close();
    }
  });
});
