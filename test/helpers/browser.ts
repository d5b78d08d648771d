import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Locator, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { CHROMIUM, chromiumLaunchOptions } from './chromium.js';
import { httpBase } from './http.js';
import type { DaemonProcess } from './start-daemon.js';

export { CHROMIUM };

/** Where browser tests leave screenshots to look at (git-ignored). */
export const ARTIFACTS = fileURLToPath(new URL('../artifacts', import.meta.url));

/**
 * Starts one real headless Chromium for a test file (reuse it across the file's
 * tests, a context each); playwright gives it a fresh --user-data-dir and removes it on close.
 */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: install the chromium package (the README's test command does)`);
  return chromium.launch(chromiumLaunchOptions());
}

/** The path of a named screenshot in the artefacts folder, creating the folder. */
export async function artifactPath(name: string): Promise<string> {
  await mkdir(ARTIFACTS, { recursive: true });
  return join(ARTIFACTS, name);
}

/** A page with the errors its script threw or logged, which a test expects to stay empty. */
export type WatchedPage = Page & { errors: string[] };

/**
 * One Chromium for the test file and a context per page: `open(daemon, '/')` opens the
 * daemon's status page in a fresh context (closing the one before), closed after each test.
 */
export function useBrowser(): { open: (daemon: DaemonProcess, path: string, options?: BrowserContextOptions) => Promise<WatchedPage> } {
  let browser: Browser | null = null;
  let context: BrowserContext | null = null;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });
  afterEach(async () => {
    await context?.close();
    context = null;
  });
  return {
    async open(daemon, path, options = {}) {
      await context?.close();
      context = await browser!.newContext({ viewport: { width: 1280, height: 800 }, ...options });
      const page = Object.assign(await context.newPage(), { errors: [] as string[] });
      page.on('pageerror', (error) => page.errors.push(error.message));
      page.on('console', (message) => message.type() === 'error' && page.errors.push(message.text()));
      await page.goto(`${httpBase(daemon)}${path}`);
      return page;
    },
  };
}

/** A job's row in the jobs table. */
export function jobRow(page: Page, id: string): Locator {
  return page.locator(`#rows tr[data-job="${id}"]`);
}
