import { mkdirSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../helpers/harness.js';
import { launchChromium } from './launch.js';

describe('GraphiQL in a real browser', () => {
  let harness: Harness;
  let browser: Browser;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zomro', 'onapp'] });
    ({ browser } = await launchChromium());
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await harness?.close();
  });

  it('loads offline, runs the preloaded dashboard query and shows data', async () => {
    const page = await browser.newPage();
    const outside: string[] = [];
    await page.route('**/*', (route) => {
      const url = new URL(route.request().url());
      if (url.hostname === '127.0.0.1' || url.protocol === 'data:' || url.protocol === 'blob:') return route.continue();
      outside.push(url.href);
      return route.abort();
    });
    await page.goto(harness.gateway.graphqlUrl, { waitUntil: 'load' });
    await page.waitForSelector('.graphiql-execute-button', { timeout: 30_000 });
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
});
