import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DANUBE_SIM_API_KEY, DANUBE_SIM_PASSWORD, DANUBE_SIM_USER } from '../../src/providers/danube/simulator.js';
import { ZOMRO_SIM_PASSWORD, ZOMRO_SIM_TOKEN, ZOMRO_SIM_USER } from '../../src/providers/zomro/simulator.js';
import type { ProviderKind } from '../../src/providers/registry.js';
import { startHarness, withAccountCopy, type Harness } from '../helpers/harness.js';
import { ONAPP_SIM_API_KEY, ONAPP_SIM_USER } from '../../src/providers/onapp/simulator.js';
import { ZSTACK_SIM_PASSWORD } from '../../src/providers/zstack/simulator.js';

interface UrlMistakeAnswer {
  instances: { providerErrors: Array<{ provider: { id: string }; code: string; message: string }> };
  providers: Array<{ id: string; health: string; healthCause: string | null }>;
}
const ERRORS_AND_HEALTH = '{ instances(first: 5) { providerErrors { provider { id } code message } } providers { id health healthCause } }';
const healthOf = (answer: { data?: UrlMistakeAnswer | null }, id: string) => answer.data?.providers.find((provider) => provider.id === id);

/** The simulators' credentials each account sends as it is configured (withAccountCopy keeps its auth). */
const CREDENTIALS: Record<'onapp' | 'danube', string[]> = { onapp: [ONAPP_SIM_USER, ONAPP_SIM_API_KEY], danube: [DANUBE_SIM_API_KEY] };

/**
 * Health read DEGRADED once and stayed so: the url's 404 counted as an answer made it read UP between each
 * request's 404 and the adapter saying so again, and logged both changes every request.
 */
const healthChanges = (harness: Harness) =>
  harness.logs
    .filter((line) => line.includes('provider health changed'))
    .map((line) => {
      const { health, cause } = JSON.parse(line) as { health: string; cause?: string };
      return { health, cause };
    });

/** Neither the other server's words nor the account's credentials reach the answers or the log. */
function expectNothingTold(first: unknown, second: unknown, harness: Harness, kept: readonly string[]): void {
  const told = JSON.stringify([first, second]) + harness.logs.join('\n');
  for (const word of kept) expect(told).not.toContain(word);
}

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
      // ZStack's login path has no trailing slash, Danube's has (esdc-ce's `^login/$`).
      if (/\/accounts\/login\/?$/.test(req.url ?? '')) logins.push(req.url ?? '');
      res.writeHead(404, { 'content-type': 'text/html' }).end('<h1>Not Found</h1>');
    });
    await new Promise<void>((resolve) => nothingHere.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(nothingHere.address() as AddressInfo).port}/api`;
  });
  afterAll(() => new Promise<void>((resolve) => nothingHere.close(() => resolve())));

  const accounts: Array<{ kind: ProviderKind; auth?: Record<string, string>; secret: string }> = [
    { kind: 'zstack', secret: ZSTACK_SIM_PASSWORD },
    { kind: 'danube', auth: { username: DANUBE_SIM_USER, password: DANUBE_SIM_PASSWORD }, secret: DANUBE_SIM_PASSWORD },
  ];
  for (const { kind, auth, secret } of accounts) {
    it(`${kind}: says to check the url, logs no refused login, does not hold it; health DEGRADED (OTHER)`, async () => {
      const id = `${kind}-wrong-url`;
      let harness: Harness | undefined;
      try {
        harness = await startHarness({ kinds: [kind], configure: withAccountCopy(kind, { id, url, ...(auth ? { auth } : {}) }) });
        const ask = () => harness!.gql<UrlMistakeAnswer>(ERRORS_AND_HEALTH);
        const before = logins.length;
        const first = await ask();
        const second = await ask();
        for (const answer of [first, second]) {
          expect(answer.data?.instances.providerErrors).toEqual([
            { provider: { id }, code: 'PROVIDER_ERROR', message: `provider ${id} has no login where its url points (HTTP 404): check the account's url in the config (the API's base URL)` },
          ]);
          // It read UP while every request failed so; not CREDENTIALS_REFUSED (no credentials were refused), nor the breaker's DOWN.
          expect(healthOf(answer, id)).toEqual({ id, health: 'DEGRADED', healthCause: 'OTHER' });
        }
        // Each request tried again: a url put right works at once, not 30 s later.
        expect(logins.length - before).toBe(2);
        expect(harness.logs.filter((line) => line.includes("refused the gateway's login"))).toEqual([]);
        expect(healthChanges(harness)).toEqual([{ health: 'DEGRADED', cause: 'other' }]);
        expectNothingTold(first, second, harness, ['Not Found', secret]);
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
    it(`${kind}: PROVIDER_ERROR saying to check the url, not NOT_FOUND "not found at the provider"; health DEGRADED (OTHER)`, async () => {
      const id = `${kind}-wrong-url`;
      let harness: Harness | undefined;
      try {
        harness = await startHarness({ kinds: [kind], configure: withAccountCopy(kind, { id, url }) });
        const first = await harness.gql<UrlMistakeAnswer>(ERRORS_AND_HEALTH);
        const second = await harness.gql<UrlMistakeAnswer>(ERRORS_AND_HEALTH);
        for (const answer of [first, second]) {
          expect(answer.data?.instances.providerErrors).toEqual([
            { provider: { id }, code: 'PROVIDER_ERROR', message: `provider ${id} answered its instance list with not found (HTTP 404): check the account's url in the config (the API's base URL)` },
          ]);
          // It read UP while every list failed so; the 404s are no outage for the breaker (not DOWN).
          expect(healthOf(answer, id)).toEqual({ id, health: 'DEGRADED', healthCause: 'OTHER' });
        }
        expect(healthChanges(harness)).toEqual([{ health: 'DEGRADED', cause: 'other' }]);
        expectNothingTold(first, second, harness, ['Not found.', ...CREDENTIALS[kind]]);
      } finally {
        await harness?.close();
      }
    });
  }
});

/** Health reads the url's mistake until a call is answered again, not for good: the server behind the url put right (a proxy's route restored). */
describe('an OnApp url whose server is put right: health UP again at the first answered call', () => {
  let server: Server;
  let url = '';
  let answering = false;
  beforeAll(async () => {
    server = createServer((_req, res) => {
      if (answering) res.writeHead(200, { 'content-type': 'application/json' }).end('[]');
      else res.writeHead(404, { 'content-type': 'application/json' }).end('{"detail":"Not found."}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('DEGRADED (OTHER) while its instance list answers 404, UP once it is answered', async () => {
    const id = 'onapp-url-put-right';
    let harness: Harness | undefined;
    try {
      harness = await startHarness({ kinds: ['onapp'], configure: withAccountCopy('onapp', { id, url }) });
      const misdirected = await harness.gql<UrlMistakeAnswer>(ERRORS_AND_HEALTH);
      expect(healthOf(misdirected, id)).toEqual({ id, health: 'DEGRADED', healthCause: 'OTHER' });
      answering = true;
      const answered = await harness.gql<UrlMistakeAnswer>(ERRORS_AND_HEALTH);
      expect(answered.data?.instances.providerErrors).toEqual([]);
      expect(healthOf(answered, id)).toEqual({ id, health: 'UP', healthCause: null });
    } finally {
      await harness?.close();
    }
  });
});

/**
 * Zomro posts every call to its url, and BILLmanager answers every one, its refusals too, HTTP 200 with
 * a `doc` (providers.md, "Error shape"). A web server that is not BILLmanager answers otherwise: 404, a
 * 401 of its own login, or a page of HTML. It said "answered HTTP 401 without a BILLmanager document"
 * alone, and health stayed UP.
 */
describe('a Zomro url at a server that is not BILLmanager: the account url is wrong', () => {
  let anotherServer: Server;
  let origin = '';
  beforeAll(async () => {
    anotherServer = createServer((req, res) => {
      const path = req.url ?? '';
      if (path.startsWith('/login-wall')) res.writeHead(401, { 'content-type': 'text/html', 'www-authenticate': 'Basic realm="intranet"' }).end('<h1>401 Authorization Required</h1><p>nginx</p>');
      else if (path.startsWith('/welcome')) res.writeHead(200, { 'content-type': 'text/html' }).end('<html><body><h1>Welcome to nginx!</h1></body></html>');
      else res.writeHead(404, { 'content-type': 'text/html' }).end('<h1>Not Found</h1><p>nginx</p>');
    });
    await new Promise<void>((resolve) => anotherServer.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(anotherServer.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => anotherServer.close(() => resolve())));

  const cases: Array<{ answer: string; path: string; status: number; auth?: Record<string, string> }> = [
    { answer: '404', path: '/', status: 404 },
    { answer: '401 of its own login', path: '/login-wall/', status: 401 },
    { answer: '401 of its own login, to the gateway\'s func=auth', path: '/login-wall/billmgr', status: 401, auth: { username: ZOMRO_SIM_USER, password: ZOMRO_SIM_PASSWORD } },
    { answer: '200 page of HTML', path: '/welcome/', status: 200 },
  ];
  for (const { answer, path, status, auth } of cases) {
    it(`${answer}: says the url likely points at another server and to point it at BILLmanager; health DEGRADED (OTHER)`, async () => {
      const id = 'zomro-wrong-url';
      let harness: Harness | undefined;
      try {
        harness = await startHarness({ kinds: ['zomro'], configure: withAccountCopy('zomro', { id, url: `${origin}${path}`, ...(auth ? { auth } : {}) }) });
        const answered = await harness.gql<{
          instances: { providerErrors: Array<{ provider: { id: string }; code: string; message: string }> };
          providers: Array<{ id: string; health: string; healthCause: string | null }>;
        }>('{ instances(first: 5) { providerErrors { provider { id } code message } } providers { id health healthCause } }');
        expect(answered.data?.instances.providerErrors).toEqual([
          {
            provider: { id },
            code: 'PROVIDER_ERROR',
            message: `provider ${id} answered HTTP ${status} without a BILLmanager document, so its url likely points at another server: check that the account's url in the config is BILLmanager's (its path usually ends in /billmgr)`,
          },
        ]);
        expect(answered.data?.providers.find((provider) => provider.id === id)).toEqual({ id, health: 'DEGRADED', healthCause: 'OTHER' });
        // The other server's words and the account's credentials stay out of the answer and the log.
        const told = JSON.stringify(answered) + harness.logs.join('\n');
        for (const kept of ['nginx', 'Authorization Required', 'intranet', ZOMRO_SIM_TOKEN, ZOMRO_SIM_PASSWORD]) expect(told).not.toContain(kept);
        expect(harness.logs.filter((line) => line.includes("refused the gateway's"))).toEqual([]);
      } finally {
        await harness?.close();
      }
    });
  }
});

/**
 * The same mistake against the ZStack simulator itself (the docs' own example, `/zstack/v1` added to its url):
 * ZStack's REST server finds the path's API before it asks for a session, so a path no API maps is its 404
 * "no api mapping", never a 400 "missing header 'Authorization'", which the gateway read as a refused login.
 */
describe('zstack simulator: a url with /zstack/v1 added answers the login 404', () => {
  it('says to check the url, logs no refused login, and reads DEGRADED (OTHER), not CREDENTIALS_REFUSED', async () => {
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
      expect(answer.data?.providers.find((provider) => provider.id === id)).toEqual({ id, health: 'DEGRADED', healthCause: 'OTHER' });
      expect(harness.logs.filter((line) => line.includes("refused the gateway's login"))).toEqual([]);
    } finally {
      await harness?.close();
    }
  });
});

/**
 * An OnApp or Danube url at a server that answers 200 but not as the provider does: a page of HTML (a web
 * server, a sign-in page), another API's JSON (another account's url pasted in), or (Danube) a blank body.
 * It said "sent an answer that is not JSON", "answered without Danube's status" or "answered a list read
 * without a list", no next step, and health read UP.
 */
describe('an OnApp or Danube url at a server that answers its VM list 200 without a list: the account url is wrong', () => {
  let anotherServer: Server;
  let origin = '';
  beforeAll(async () => {
    anotherServer = createServer((req, res) => {
      const path = req.url ?? '';
      if (path.startsWith('/html/')) res.writeHead(200, { 'content-type': 'text/html' }).end('<html><body><h1>Welcome to nginx!</h1></body></html>');
      else if (path.startsWith('/blank/')) res.writeHead(200, { 'content-type': 'application/json' }).end();
      else res.writeHead(200, { 'content-type': 'application/json' }).end('{"doc":{"error":{"$type":"access","msg":{"$":"nginx says no"}}}}');
    });
    await new Promise<void>((resolve) => anotherServer.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(anotherServer.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => anotherServer.close(() => resolve())));

  const MESSAGES: Record<'onapp' | 'danube', (id: string) => string> = {
    onapp: (id) =>
      `provider ${id} answered its VM list without OnApp's JSON list, so its url likely points at another server: check that the account's url in the config is the OnApp control panel's address (OnApp's API answers at its /virtual_machines.json)`,
    danube: (id) =>
      `provider ${id} answered its VM list without Danube's list, so its url likely points at another server: check that the account's url in the config is Danube's API base (its path usually ends in /api; Danube lists VMs at its /vm/)`,
  };
  const cases = [
    { kind: 'onapp', answer: 'a page of HTML', path: '/html/' },
    { kind: 'onapp', answer: "another API's JSON", path: '/json/' },
    { kind: 'danube', answer: 'a page of HTML', path: '/html/' },
    { kind: 'danube', answer: "another API's JSON", path: '/json/' },
    { kind: 'danube', answer: 'a blank body', path: '/blank/' },
  ] as const;
  for (const { kind, answer, path } of cases) {
    it(`${kind}, ${answer}: says the url likely points at another server; health DEGRADED (OTHER)`, async () => {
      const id = `${kind}-wrong-url`;
      let harness: Harness | undefined;
      try {
        harness = await startHarness({ kinds: [kind], configure: withAccountCopy(kind, { id, url: `${origin}${path}` }) });
        const answered = await harness.gql<UrlMistakeAnswer>(ERRORS_AND_HEALTH);
        expect(answered.data?.instances.providerErrors).toEqual([{ provider: { id }, code: 'PROVIDER_ERROR', message: MESSAGES[kind](id) }]);
        expect(healthOf(answered, id)).toEqual({ id, health: 'DEGRADED', healthCause: 'OTHER' });
        expectNothingTold(answered, null, harness, ['nginx', ...CREDENTIALS[kind]]);
      } finally {
        await harness?.close();
      }
    });
  }
});

/**
 * The same mistake at an account that logs in (a Danube login, ZStack's): its first call is the login, which a
 * server that is not the provider answers 200 with a page of HTML or another API's JSON, no token. It said
 * "sent an answer that is not JSON", the VM list's words, or "refused the gateway's login" (HTTP_200): no
 * refusal happened, and the url is the mistake.
 */
describe("a url at a server that answers the provider's login 200 without its token: the account url is wrong", () => {
  let anotherServer: Server;
  let origin = '';
  const logins: string[] = [];
  beforeAll(async () => {
    anotherServer = createServer((req, res) => {
      const path = req.url ?? '';
      if (/\/accounts\/login\/?$/.test(path)) logins.push(path);
      if (path.startsWith('/html/')) res.writeHead(200, { 'content-type': 'text/html' }).end('<html><body><h1>Welcome to nginx!</h1></body></html>');
      else res.writeHead(200, { 'content-type': 'application/json' }).end('{"detail":"nginx says hello"}');
    });
    await new Promise<void>((resolve) => anotherServer.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(anotherServer.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => anotherServer.close(() => resolve())));

  const LOGINS = {
    danube: {
      auth: { username: DANUBE_SIM_USER, password: DANUBE_SIM_PASSWORD } as Record<string, string>,
      secret: DANUBE_SIM_PASSWORD,
      message: (id: string) =>
        `provider ${id} answered its login without Danube's token, so its url likely points at another server: check that the account's url in the config is Danube's API base (its path usually ends in /api; Danube logs in at its /accounts/login/)`,
    },
    zstack: {
      auth: undefined,
      secret: ZSTACK_SIM_PASSWORD,
      message: (id: string) =>
        `provider ${id} answered its login without ZStack's session, so its url likely points at another server: check that the account's url in the config is ZStack's own address, without /zstack/v1 (ZStack logs in at its /zstack/v1/accounts/login)`,
    },
  };
  for (const kind of ['danube', 'zstack'] as const) {
    for (const { answer, path } of [
      { answer: 'a page of HTML', path: '/html/' },
      { answer: "another API's JSON", path: '/json/' },
    ]) {
      it(`${kind}, ${answer}: says the url likely points at another server, logs no refused login, does not hold it; health DEGRADED (OTHER)`, async () => {
        const id = `${kind}-login-wrong-url`;
        const { auth, secret, message } = LOGINS[kind];
        let harness: Harness | undefined;
        try {
          harness = await startHarness({ kinds: [kind], configure: withAccountCopy(kind, { id, url: `${origin}${path}`, ...(auth ? { auth } : {}) }) });
          const before = logins.length;
          const first = await harness.gql<UrlMistakeAnswer>(ERRORS_AND_HEALTH);
          const second = await harness.gql<UrlMistakeAnswer>(ERRORS_AND_HEALTH);
          for (const answered of [first, second]) {
            expect(answered.data?.instances.providerErrors).toEqual([{ provider: { id }, code: 'PROVIDER_ERROR', message: message(id) }]);
            expect(healthOf(answered, id)).toEqual({ id, health: 'DEGRADED', healthCause: 'OTHER' });
          }
          // Each request tried the login again: a url put right works at once, not after a hold.
          expect(logins.length - before).toBe(2);
          expect(harness.logs.filter((line) => line.includes("refused the gateway's login"))).toEqual([]);
          expectNothingTold(first, second, harness, ['nginx', secret]);
        } finally {
          await harness?.close();
        }
      });
    }
  }
});
