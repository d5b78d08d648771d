import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useBrowser } from '../../helpers/browser.js';
import { PAINT_TIMINGS } from '../../helpers/chromium.js';
import { useTempDir } from '../../helpers/e2e-setup.js';
import { startDaemon } from '../../helpers/start-daemon.js';

const JOBS = 10_000;
/** The issue asks for first paint within 1 s on this machine, measured by the bench (`npm run bench -- --only page`); this bound is wider for a shared, noisy CI box, the figure is printed. */
const FIRST_PAINT_BOUND_MS = 3_000;

describe('issue 15: the status page at 10,000 jobs', () => {
  const tmp = useTempDir();
  const { open } = useBrowser();

  it('issue 15.8: the page of 10,000 jobs paints its first rows within the bound, one page of 100 rows', { timeout: 120_000 }, async () => {
    const ids = Array.from({ length: JOBS }, (_, i) => `bulk-${String(i).padStart(5, '0')}`);
    for (let i = 0; i < ids.length; i += 500) {
      await Promise.all(ids.slice(i, i + 500).map((id, k) =>
        writeFile(join(tmp().jobsDir, `${id}.json`), JSON.stringify({ schedule: `@every ${100 + i + k}h`, command: 'true', description: `bulk job ${id}` }))));
    }
    const daemon = await startDaemon({ dir: tmp().dir, args: ['--http', '0'], startTimeoutMs: 90_000 });
    const page = await open(daemon, '/');
    const { firstContentfulPaint: paint } = (await page.evaluate(PAINT_TIMINGS)) as { firstContentfulPaint: number };
    console.log(`first contentful paint of the 10,000-job page: ${Math.round(paint)} ms`);
    expect(paint).toBeGreaterThan(0);
    expect(paint).toBeLessThan(FIRST_PAINT_BOUND_MS);
    expect(await page.locator('#rows tr').count()).toBe(100);
    expect(await page.locator('#pager').innerText()).toContain(`1–100 of ${JOBS}`);
    expect(await page.locator('#rows th a').first().innerText()).toBe('bulk-00000');
    await page.locator('#filters input').fill('bulk-09999');
    await expect.poll(() => page.locator('#rows tr').count(), { timeout: 10_000 }).toBe(1);
  });
});
