import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

const DEBIAN_CHROMIUM = '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/**
 * Debian's chromium when installed (CI installs it), else the headless
 * Chromium that the @sparticuz/chromium devDependency ships inside its npm
 * package (unpacked to the temp directory on first use), so `npm ci && npm test`
 * needs no browser on the machine. BROWSER_CHROMIUM=npm forces the latter.
 */
export async function launchChromium(): Promise<{ browser: Browser; source: string }> {
  if (existsSync(DEBIAN_CHROMIUM) && process.env.BROWSER_CHROMIUM !== 'npm') {
    return { browser: await chromium.launch({ executablePath: DEBIAN_CHROMIUM, args: FLAGS }), source: DEBIAN_CHROMIUM };
  }
  const { default: packaged } = await import('@sparticuz/chromium');
  const executablePath = await packaged.executablePath();
  return { browser: await chromium.launch({ executablePath, args: [...packaged.args, ...FLAGS] }), source: `@sparticuz/chromium (${executablePath})` };
}
