import { mkdirSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ZomroSimulator } from '../../src/providers/zomro/simulator.js';
import { type Harness, startHarness, withClients } from '../helpers/harness.js';
import { launchChromium } from './launch.js';

/** Replaces the active tab's query (Monaco) with text, bypassing its bracket auto-closing. */
async function setQuery(page: Page, text: string): Promise<void> {
  await page.click('.graphiql-query-editor .monaco-editor');
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Delete');
  if (text) await page.keyboard.insertText(text);
}

/** Replaces the headers editor's JSON (the Headers tab under the query). */
async function setHeaders(page: Page, json: string): Promise<void> {
  await page.click('.graphiql-editor-tools button:has-text("Headers")');
  await page.click('.graphiql-editor-tool .graphiql-editor:not(.hidden) .monaco-editor');
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(json);
}

interface HeldBackup {
  id: string;
  /** The backup is made: the operation's next poll reads it SUCCEEDED. */
  made(): void;
}

/**
 * Starts a Zomro backup held RUNNING until `made()`, and returns its operation
 * id: a backup made on a timer could be made before a page under load subscribed.
 */
async function startBackup(harness: Harness, name: string, key?: string): Promise<HeldBackup> {
  const simulator = harness.simulator('zomro').simulator as ZomroSimulator;
  simulator.asyncDelayMs = 10 * 60_000;
  const list = await harness.gql<{ instances: { edges: Array<{ node: { id: string; provider: { kind: string } } }> } }>('{ instances { edges { node { id provider { kind } } } } }', undefined, { key });
  const target = list.data!.instances.edges.find((edge) => edge.node.provider.kind === 'ZOMRO')!.node.id;
  const created = await harness.gql<{ createBackup: { operation: { id: string } } }>(
    'mutation($input: CreateBackupInput!) { createBackup(input: $input) { operation { id } } }',
    { input: { instanceId: target, name } },
    { key },
  );
  expect(created.errors).toBeUndefined();
  return {
    id: created.data!.createBackup.operation.id,
    made: () => {
      for (const backup of simulator.backups.values()) if (backup.name === name) backup.readyAt = 0;
    },
  };
}

/** Runs the operation's subscription from the page, the backup made once RUNNING is shown; the statuses the result pane showed, in order. */
async function subscribeFromPage(page: Page, backup: HeldBackup): Promise<string[]> {
  await setQuery(page, `subscription { operationUpdated(id: "${backup.id}") { status } }`);
  const seen = await recordResults(page);
  await page.click('.graphiql-execute-button');
  await expect.poll(async () => (await seen()).some((text) => text.includes('RUNNING')), { timeout: 20_000 }).toBe(true);
  backup.made();
  await expect.poll(async () => (await seen()).some((text) => text.includes('SUCCEEDED')), { timeout: 20_000 }).toBe(true);
  return (await seen()).map((text) => /"status":\s*"(\w+)"/.exec(text)?.[1]).filter((status): status is string => status !== undefined);
}

/** No line of a stack trace: GraphiQL prints a thrown error's stack, the page's fetcher answers { errors } instead. */
const STACK = /\bat \w|\.js:\d+|stack/;

/** Every text the result pane showed, recorded in the page as it changes (no polling gaps). */
async function recordResults(page: Page): Promise<() => Promise<string[]>> {
  await page.evaluate(() => {
    const seen: string[] = [];
    (globalThis as unknown as { seen: string[] }).seen = seen;
    const pane = document.querySelector('.graphiql-response');
    if (!pane) throw new Error('no result pane');
    new MutationObserver(() => seen.push(pane.textContent ?? '')).observe(pane, { subtree: true, childList: true, characterData: true });
  });
  return () => page.evaluate(() => (globalThis as unknown as { seen: string[] }).seen);
}

describe('GraphiQL in a real browser', () => {
  let harness: Harness;
  let browser: Browser;
  let page: Page;
  const outside: string[] = [];
  const refused: string[] = [];
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zomro', 'onapp'] });
    ({ browser } = await launchChromium());
    page = await browser.newPage();
    // What the page's Content-Security-Policy blocked: nothing GraphiQL needs may be.
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) refused.push(message.text());
    });
    await page.route('**/*', (route) => {
      const url = new URL(route.request().url());
      if (url.hostname === '127.0.0.1' || url.protocol === 'data:' || url.protocol === 'blob:') return route.continue();
      outside.push(url.href);
      return route.abort();
    });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await harness?.close();
  });

  it('loads offline under the product name, runs the preloaded dashboard query and shows data', async () => {
    await page.goto(harness.gateway.graphqlUrl, { waitUntil: 'load' });
    await page.waitForSelector('.graphiql-execute-button', { timeout: 30_000 });
    // The product's own mark (its svg is labelled), not the renderer's default one.
    expect(await page.locator('.graphiql-logo svg[aria-label="Backup Graph"]').count()).toBe(1);
    expect(await page.locator('.graphiql-logo').textContent()).toBe('Backup Graph');
    expect(await page.locator('link[rel=icon]').getAttribute('href')).toMatch(/^data:image\/svg\+xml,.*Backup%20Graph/);
    await page.click('.graphiql-execute-button');
    const result = page.locator('.graphiql-response');
    await expect.poll(async () => (await result.textContent()) ?? '', { timeout: 20_000 }).toContain('"providers"');
    const text = (await result.textContent()) ?? '';
    expect(text).toContain('ZOMRO');
    expect(text).toContain('ONAPP');
    mkdirSync('test-artifacts', { recursive: true });
    await page.screenshot({ path: 'test-artifacts/graphiql.png', fullPage: true });
    expect(outside).toEqual([]);
    expect(refused).toEqual([]);
  }, 60_000);

  it('serves a shell of a few KB and its assets compressed, cacheable for a year under a versioned path', async () => {
    const url = harness.gateway.graphqlUrl;
    const shell = await fetch(url, { headers: { accept: 'text/html', 'accept-encoding': 'gzip' } });
    expect(shell.headers.get('content-encoding')).toBe('gzip');
    expect(Number(shell.headers.get('content-length'))).toBeLessThan(4 * 1024);
    // Revalidated on each view: an upgrade changes the asset paths it names.
    expect(shell.headers.get('cache-control')).toBe('no-cache');
    expect(shell.headers.get('content-security-policy')).toContain("script-src 'self';");
    expect(shell.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    const html = await shell.text();
    expect(html.length).toBeLessThan(16 * 1024);
    const revalidated = await fetch(url, { headers: { accept: 'text/html', 'if-none-match': shell.headers.get('etag') ?? '' } });
    expect(revalidated.status).toBe(304);

    const linked = [...html.matchAll(/(?:src|href)="(\/graphql\/graphiql\/[0-9a-f]{12}\/)([\w.-]+)"/g)];
    expect(linked.map((match) => match[2]).sort()).toEqual(['boot.js', 'graphiql.css', 'graphiql.js', 'graphql-ws.js']);
    const base = linked[0]![1]!;
    // Monaco's workers, named by boot.js relative to its own path.
    for (const file of [...linked.map((match) => match[2]!), 'editor.worker.js', 'json.worker.js', 'graphql.worker.js']) {
      for (const [accept, encoding] of [['gzip, deflate', 'gzip'], ['gzip, deflate, br', 'br']] as const) {
        const asset = await fetch(new URL(base + file, url), { headers: { 'accept-encoding': accept } });
        await asset.arrayBuffer();
        expect({ file, status: asset.status, encoding: asset.headers.get('content-encoding'), cache: asset.headers.get('cache-control') }).toEqual({
          file,
          status: 200,
          encoding,
          cache: 'public, max-age=31536000, immutable',
        });
      }
    }
    // Another version's path is not answered with this version's files (a year in a cache would keep them).
    const stale = await fetch(new URL(`/graphql/graphiql/000000000000/graphiql.js`, url));
    expect(stale.status).toBe(404);
    expect(((await stale.json()) as { errors: Array<{ extensions: { code: string } }> }).errors[0]!.extensions.code).toBe('NOT_FOUND');
  });

  it('lists the query it ran in the history panel', async () => {
    await page.click('button[aria-label="Show History"]');
    const items = page.locator('.graphiql-history-item');
    await expect.poll(async () => (await items.allTextContents()).join('\n'), { timeout: 10_000 }).toContain('Dashboard');
  }, 30_000);

  it('runs a subscription over graphql-ws and shows each status of a backup being made', async () => {
    const statuses = await subscribeFromPage(page, await startBackup(harness, 'from-graphiql'));
    expect(statuses[0]).toBe('RUNNING');
    expect(statuses.at(-1)).toBe('SUCCEEDED');
    expect(outside).toEqual([]);
    expect(refused).toEqual([]);
  }, 60_000);

  it('answers an empty editor with the gateway\'s typed syntax error, not a stack trace', async () => {
    await setQuery(page, '');
    const seen = await recordResults(page);
    await page.click('.graphiql-execute-button');
    // The pane may first clear or show the previous answer.
    await expect.poll(async () => (await seen()).at(-1) ?? '', { timeout: 10_000 }).toContain('"errors"');
    const text = (await seen()).at(-1) ?? '';
    // Apollo's answer to an empty query, or the parser's to one left with a newline.
    expect(text).toMatch(/non-empty\s+`query`|Syntax\s+Error/);
    expect(text).toContain('"BAD_USER_INPUT"');
    expect(text).not.toMatch(STACK);
  }, 30_000);

  it('reloads into GraphiQL after an edit (GraphiQL keeps the query in the address bar)', async () => {
    await setQuery(page, '{ providers { id } }');
    await expect.poll(() => page.url(), { timeout: 10_000 }).toContain('?query=');
    const reloaded = await page.reload({ waitUntil: 'load' });
    expect(reloaded?.headers()['content-type']).toContain('text/html');
    await page.waitForSelector('.graphiql-execute-button', { timeout: 30_000 });
    expect(await page.locator('.graphiql-logo').textContent()).toBe('Backup Graph');
  }, 60_000);
});

describe('GraphiQL when the config names clients', () => {
  const KEY = 'graphiql-key-0123456789';
  let harness: Harness;
  let browser: Browser;
  let page: Page;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zomro'], configure: withClients([{ name: 'ops', key: KEY, roles: ['operator'] }]) });
    ({ browser } = await launchChromium());
    page = await browser.newPage();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await harness?.close();
  });

  it('prefills the headers editor with an Authorization example (never a key)', async () => {
    const response = await fetch(harness.gateway.graphqlUrl, { headers: { accept: 'text/html', 'accept-encoding': 'gzip' } });
    expect(response.status).toBe(200);
    const html = Buffer.from(await response.arrayBuffer()).toString('utf8');
    // Booleans: a failure message would otherwise print the whole page.
    expect(html.includes('Bearer <your client key>')).toBe(true);
    expect(html.includes(KEY)).toBe(false);
  });

  it('runs a subscription with the Authorization header as the socket\'s connectionParams', async () => {
    await page.goto(harness.gateway.graphqlUrl, { waitUntil: 'load' });
    await page.waitForSelector('.graphiql-execute-button', { timeout: 30_000 });
    await setHeaders(page, JSON.stringify({ Authorization: `Bearer ${KEY}` }));
    const statuses = await subscribeFromPage(page, await startBackup(harness, 'with-key', KEY));
    expect(statuses[0]).toBe('RUNNING');
    expect(statuses.at(-1)).toBe('SUCCEEDED');
  }, 60_000);

  it('shows UNAUTHENTICATED, without a stack, for a subscription without the header', async () => {
    const { id } = await startBackup(harness, 'without-header', KEY);
    await setHeaders(page, '{}');
    await setQuery(page, `subscription { operationUpdated(id: "${id}") { status } }`);
    const seen = await recordResults(page);
    await page.click('.graphiql-execute-button');
    await expect.poll(async () => (await seen()).at(-1) ?? '', { timeout: 20_000 }).toContain('"UNAUTHENTICATED"');
    const text = (await seen()).at(-1) ?? '';
    expect(text).not.toContain('RUNNING');
    expect(text).not.toMatch(STACK);
  }, 60_000);

  it('keeps the client key out of the browser\'s storage, and a reload shows the placeholder again', async () => {
    await setHeaders(page, JSON.stringify({ Authorization: `Bearer ${KEY}` }));
    await setQuery(page, '{ providers { id } }');
    const seen = await recordResults(page);
    await page.click('.graphiql-execute-button');
    await expect.poll(async () => (await seen()).at(-1) ?? '', { timeout: 20_000 }).toContain('zomro-test');
    // Runs made with the key are in the history GraphiQL keeps in localStorage (with each run's
    // headers, left alone): the subscriptions above, sent with it. (This run itself is not always
    // added to the history in time: the check below does not rely on it.)
    await expect.poll(() => page.evaluate(() => localStorage.getItem('graphiql:queries') ?? ''), { timeout: 5_000 }).toContain('operationUpdated');
    const stored = await page.evaluate(() => Object.entries(localStorage).filter(([, value]) => value.includes('graphiql-key')).map(([name]) => name));
    expect(stored).toEqual([]);
    await page.reload({ waitUntil: 'load' });
    await page.waitForSelector('.graphiql-execute-button', { timeout: 30_000 });
    await page.click('.graphiql-editor-tools button:has-text("Headers")');
    await expect.poll(async () => (await page.locator('.graphiql-editor-tool').textContent()) ?? '', { timeout: 10_000 }).toMatch(/<your\sclient\skey>/); // Monaco shows spaces as no-break spaces
    expect((await page.locator('.graphiql-editor-tool').textContent()) ?? '').not.toContain(KEY);
  }, 60_000);
});

describe('GraphiQL with introspection off', () => {
  const KEYS = { viewer: 'graphiql-viewer-0123456789', admin: 'graphiql-admin-0123456789' };
  let harness: Harness;
  let browser: Browser;
  let page: Page;
  beforeAll(async () => {
    harness = await startHarness({
      kinds: ['zomro'],
      configure: withClients(
        [
          { name: 'dashboard', key: KEYS.viewer, roles: ['viewer'] },
          { name: 'ops', key: KEYS.admin, roles: ['admin'] },
        ],
        { introspection: false },
      ),
    });
    ({ browser } = await launchChromium());
    page = await browser.newPage();
    await page.goto(harness.gateway.graphqlUrl, { waitUntil: 'load' });
    await page.waitForSelector('.graphiql-execute-button', { timeout: 30_000 });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await harness?.close();
  });

  /** Asks for the schema again with the headers editor's key, as a user would, and opens the docs pane. */
  async function refetchSchemaWith(key: string): Promise<Locator> {
    await setHeaders(page, JSON.stringify({ Authorization: `Bearer ${key}` }));
    await page.click('button[aria-label^="Re-fetch GraphQL schema"]');
    if ((await page.locator('.graphiql-doc-explorer').count()) === 0) await page.click('button[aria-label="Show Documentation Explorer"]');
    return page.locator('.graphiql-doc-explorer');
  }

  it('fetches the docs by itself once a query with an admin key is answered, and leaves a viewer\'s answer in place', async () => {
    const fresh = await browser.newPage();
    try {
      await fresh.goto(harness.gateway.graphqlUrl, { waitUntil: 'load' });
      await fresh.waitForSelector('.graphiql-execute-button', { timeout: 30_000 });
      await fresh.click('button[aria-label="Show Documentation Explorer"]');
      const docs = fresh.locator('.graphiql-doc-explorer');
      await expect.poll(async () => (await docs.textContent()) ?? '', { timeout: 20_000 }).toContain('Error fetching schema');
      const answers = fresh.locator('.graphiql-response');
      await setQuery(fresh, '{ providers { id kind } }');
      await setHeaders(fresh, JSON.stringify({ Authorization: `Bearer ${KEYS.viewer}` }));
      await fresh.click('.graphiql-execute-button');
      await expect.poll(async () => (await answers.textContent()) ?? '', { timeout: 20_000 }).toContain('ZOMRO');
      await setHeaders(fresh, JSON.stringify({ Authorization: `Bearer ${KEYS.admin}` }));
      await setQuery(fresh, '{ providers { id } }');
      await fresh.click('.graphiql-execute-button');
      // No press of the re-fetch button: the page asks again for the schema with the key that was answered.
      await expect.poll(async () => (await docs.textContent()) ?? '', { timeout: 20_000 }).toContain('Root Types');
      expect(await answers.textContent()).toContain('zomro-test');
    } finally {
      await fresh.close();
    }
  }, 60_000);

  it('shows a viewer no docs, and still runs its queries', async () => {
    const docs = await refetchSchemaWith(KEYS.viewer);
    await expect.poll(async () => (await docs.textContent()) ?? '', { timeout: 20_000 }).toContain('Error fetching schema');
    await setQuery(page, '{ providers { id kind } }');
    const seen = await recordResults(page);
    await page.click('.graphiql-execute-button');
    await expect.poll(async () => (await seen()).at(-1) ?? '', { timeout: 20_000 }).toContain('ZOMRO');
  }, 60_000);

  it('shows an admin key the schema docs', async () => {
    const docs = await refetchSchemaWith(KEYS.admin);
    await expect.poll(async () => (await docs.textContent()) ?? '', { timeout: 20_000 }).toContain('Root Types');
    expect(await docs.textContent()).toContain('Query');
  }, 60_000);
});
