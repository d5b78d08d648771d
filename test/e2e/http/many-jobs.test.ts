import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser } from '../../helpers/browser.js';
import { useTempDir } from '../../helpers/e2e-setup.js';
import { httpBase } from '../../helpers/http.js';
import { startDaemon } from '../../helpers/start-daemon.js';

const JOBS = 10_000;
/** The issue asks for first paint within 1 s on this machine; the bound is wider for a shared, noisy CI box, the figure is printed. */
const FIRST_PAINT_BOUND_MS = 3_000;

describe('issue 15: the status page at 10,000 jobs', () => {
  const tmp = useTempDir();
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('issue 15.8: the page of 10,000 jobs paints its first rows within the bound, one page of 100 rows', { timeout: 120_000 }, async () => {
    const ids = Array.from({ length: JOBS }, (_, i) => `bulk-${String(i).padStart(5, '0')}`);
    for (let i = 0; i < ids.length; i += 500) {
      await Promise.all(ids.slice(i, i + 500).map((id, k) =>
        writeFile(join(tmp().jobsDir, `${id}.json`), JSON.stringify({ schedule: `@every ${100 + i + k}h`, command: 'true', description: `bulk job ${id}` }))));
    }
    const daemon = await startDaemon({ dir: tmp().dir, args: ['--http', '0'], startTimeoutMs: 90_000 });
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${httpBase(daemon)}/`);
    // On a loaded machine the paint entry can come after goto() returns: wait for it (10 s at most).
    const paint = Number(await page.evaluate(`new Promise((resolve) => {
      const entry = () => performance.getEntriesByName('first-contentful-paint')[0];
      if (entry()) return resolve(entry().startTime);
      new PerformanceObserver(() => entry() && resolve(entry().startTime)).observe({ type: 'paint', buffered: true });
      setTimeout(() => resolve(entry()?.startTime ?? -1), 10000);
    })`));
    console.log(`first contentful paint of the 10,000-job page: ${Math.round(paint)} ms`);
    expect(paint).toBeGreaterThan(0);
    expect(paint).toBeLessThan(FIRST_PAINT_BOUND_MS);
    expect(await page.locator('#rows tr').count()).toBe(100);
    expect(await page.locator('#pager').innerText()).toContain(`1–100 of ${JOBS}`);
    expect(await page.locator('#rows th a').first().innerText()).toBe('bulk-00000');
    await page.locator('#filters input').fill('bulk-09999');
    await expect.poll(() => page.locator('#rows tr').count(), { timeout: 10_000 }).toBe(1);
    await context.close();
  });
});
