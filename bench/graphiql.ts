/**
 * `npx tsx bench/graphiql.ts`: what opening GraphiQL costs a browser on
 * loopback. Headless Chromium (test/browser/launch.ts) against the test
 * harness's gateway (two simulated providers); BENCH_GRAPHIQL_LOADS (5) loads
 * with a cold cache (a fresh browser context each) and as many warm (one
 * context, primed by a first load), medians printed as a markdown table:
 * navigation start to the Run button enabled, to the dashboard's answer after
 * clicking it at once, and the bytes that crossed the wire (the HTML shell and
 * everything, as Chromium's network layer counts them: compressed, headers
 * included, nothing for what the cache served).
 */
import type { Browser } from 'playwright-core';
import { launchChromium } from '../test/browser/launch.js';
import { startHarness } from '../test/helpers/harness.js';
import { median } from './stats.js';

const loads = Number(process.env.BENCH_GRAPHIQL_LOADS ?? 5) || 5;

interface Load {
  runMs: number;
  answerMs: number;
  shellBytes: number;
  totalBytes: number;
}

/** In the page: Run enabled and the editor showing the preloaded query; the page's clock (0 = navigation start). */
const RUN_USABLE = `(() => {
  const button = document.querySelector('.graphiql-execute-button');
  const editor = document.querySelector('.graphiql-query-editor');
  return button && !button.disabled && editor && editor.textContent.includes('Dashboard') ? performance.now() : 0;
})()`;

/** One page for every load: headless Chromium in --single-process mode dies when a page or context is closed and another opened. */
async function loader(browser: Browser): Promise<(url: string, cold: boolean) => Promise<Load>> {
  const page = await browser.newPage();
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  let bytes = new Map<string, number>();
  let shellId = '';
  cdp.on('Network.requestWillBeSent', (event) => {
    if (event.type === 'Document') shellId = event.requestId;
  });
  cdp.on('Network.loadingFinished', (event) => bytes.set(event.requestId, event.encodedDataLength));
  return async (url, cold) => {
    await page.goto('about:blank');
    // The HTTP cache holds V8's code cache too: a cleared one is a first visit.
    if (cold) await cdp.send('Network.clearBrowserCache');
    // GraphiQL keeps its tabs, last answer included, in localStorage: without this the answer would be there before Run.
    await cdp.send('Storage.clearDataForOrigin', { origin: new URL(url).origin, storageTypes: 'local_storage' });
    bytes = new Map();
    await page.goto(url, { waitUntil: 'commit' });
    const runMs = Number(await (await page.waitForFunction(RUN_USABLE, undefined, { timeout: 60_000, polling: 20 })).jsonValue());
    await page.click('.graphiql-execute-button');
    await page.waitForFunction(() => document.querySelector('.graphiql-response')?.textContent?.includes('"providers"'), undefined, { timeout: 60_000, polling: 50 });
    const answerMs = await page.evaluate(() => performance.now());
    const totalBytes = [...bytes.values()].reduce((sum, n) => sum + n, 0);
    return { runMs, answerMs, shellBytes: bytes.get(shellId) ?? 0, totalBytes };
  };
}


async function series(load: (url: string, cold: boolean) => Promise<Load>, url: string, warm: boolean): Promise<Load[]> {
  const results: Load[] = [];
  if (warm) await load(url, false);
  for (let i = 0; i < loads; i++) {
    results.push(await load(url, !warm));
    process.stderr.write(`${warm ? 'warm' : 'cold'} load ${i + 1}: ${JSON.stringify(results.at(-1))}\n`);
  }
  return results;
}

const harness = await startHarness({ kinds: ['zomro', 'onapp'] });
const { browser, source } = await launchChromium();
try {
  const url = harness.gateway.graphqlUrl;
  // The gateway renders the page on its first view: not part of what a user waits for after that.
  await fetch(url, { headers: { accept: 'text/html' } }).then((response) => response.arrayBuffer());
  const load = await loader(browser);
  console.log(`GraphiQL load, ${source}, median of ${loads}\n`);
  console.log('| cache | Run enabled | dashboard answered | shell bytes | bytes transferred | (each Run enabled, ms) |');
  console.log('| --- | ---: | ---: | ---: | ---: | --- |');
  for (const warm of [false, true]) {
    const results = await series(load, url, warm);
    const ms = (pick: (load: Load) => number) => `${Math.round(median(results.map(pick)))} ms`;
    const kb = (pick: (load: Load) => number) => `${(median(results.map(pick)) / 1024).toFixed(1)} KiB`;
    console.log(`| ${warm ? 'warm' : 'cold'} | ${ms((l) => l.runMs)} | ${ms((l) => l.answerMs)} | ${kb((l) => l.shellBytes)} | ${kb((l) => l.totalBytes)} | ${results.map((l) => Math.round(l.runMs)).join(', ')} |`);
  }
} finally {
  await browser.close();
  await harness.close();
}
