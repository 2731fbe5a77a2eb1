import { mkdirSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import type { Browser, Page } from 'playwright-core';
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
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zomro', 'onapp'] });
    ({ browser } = await launchChromium());
    page = await browser.newPage();
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
  }, 60_000);

  it('lists the query it ran in the history panel', async () => {
    await page.click('button[aria-label="Show History"]');
    const items = page.locator('.graphiql-history-item');
    await expect.poll(async () => (await items.allTextContents()).join('\n'), { timeout: 10_000 }).toContain('Dashboard');
  }, 30_000);

  it('runs a subscription over graphql-ws and shows each status of a backup being made', async () => {
    (harness.simulator('zomro').simulator as ZomroSimulator).asyncDelayMs = 1500;
    const list = await harness.gql<{ instances: { edges: Array<{ node: { id: string; provider: { kind: string } } }> } }>('{ instances { edges { node { id provider { kind } } } } }');
    const target = list.data!.instances.edges.find((edge) => edge.node.provider.kind === 'ZOMRO')!.node.id;
    const created = await harness.gql<{ createBackup: { operation: { id: string } } }>('mutation($input: CreateBackupInput!) { createBackup(input: $input) { operation { id } } }', {
      input: { instanceId: target, name: 'from-graphiql' },
    });
    const id = created.data!.createBackup.operation.id;
    await setQuery(page, `subscription { operationUpdated(id: "${id}") { status } }`);
    const seen = await recordResults(page);
    await page.click('.graphiql-execute-button');
    await expect.poll(async () => (await seen()).some((text) => text.includes('SUCCEEDED')), { timeout: 20_000 }).toBe(true);
    const statuses = (await seen()).map((text) => /"status":\s*"(\w+)"/.exec(text)?.[1]).filter((status): status is string => status !== undefined);
    expect(statuses[0]).toBe('RUNNING');
    expect(statuses.at(-1)).toBe('SUCCEEDED');
    expect(outside).toEqual([]);
  }, 60_000);

  it('answers an empty editor with a message, not a stack trace', async () => {
    await setQuery(page, '');
    const seen = await recordResults(page);
    await page.click('.graphiql-execute-button');
    await expect.poll(async () => (await seen()).at(-1) ?? '', { timeout: 10_000 }).not.toBe('');
    const text = (await seen()).at(-1) ?? '';
    expect(text).toMatch(/Syntax\s+Error/);
    expect(text).not.toMatch(/\bat \w|\.js:\d+|stack/);
  }, 30_000);
});

describe('GraphiQL when the config names clients', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zomro'], configure: withClients([{ name: 'ops', key: 'graphiql-key-0123456789', roles: ['operator'] }]) });
  });
  afterAll(async () => harness?.close());

  it('prefills the headers editor with an Authorization example (never a key)', async () => {
    const response = await fetch(harness.gateway.graphqlUrl, { headers: { accept: 'text/html', 'accept-encoding': 'gzip' } });
    expect(response.status).toBe(200);
    const html = Buffer.from(await response.arrayBuffer()).toString('utf8');
    // Booleans: a failure message would otherwise print the whole 9 MB page.
    expect(html.includes('Bearer <your client key>')).toBe(true);
    expect(html.includes('graphiql-key-0123456789')).toBe(false);
  });
});
