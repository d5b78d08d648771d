import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { jobRow as row, useBrowser } from '../../helpers/browser.js';
import { REPO_ROOT } from '../../helpers/cli.js';
import { useTempDir } from '../../helpers/e2e-setup.js';
import { csrfOf, httpBase, httpRequest } from '../../helpers/http.js';
import { writeJob } from '../../helpers/jobs.js';
import { startDaemon } from '../../helpers/start-daemon.js';

const NEVER = '0 0 1 1 *';

describe('issue 15: the jobs table and the daemon strip in a real browser', () => {
  const tmp = useTempDir();
  const { open } = useBrowser();
  const shownIds = (page: Page) => page.locator('#rows th a').allInnerTexts();

  it('issue 15: the state filter lists exactly the job paused from the page, live and on a fresh load without JavaScript', async () => {
    for (const id of ['alpha', 'beta', 'gamma']) await writeJob(tmp().jobsDir, id, { schedule: '@every 1h', command: 'true' });
    const daemon = await startDaemon({ dir: tmp().dir, args: ['--http', '0'] });
    const page = await open(daemon, '/');
    await page.getByRole('button', { name: 'Pause beta' }).click();
    await expect.poll(() => row(page, 'beta').locator('.state').innerText()).toBe('paused');
    await page.locator('select[name="state"]').selectOption('paused');
    await expect.poll(() => shownIds(page)).toEqual(['beta']);
    expect(page.url()).toMatch(/\/\?state=paused$/);
    await page.locator('select[name="state"]').selectOption('scheduled');
    await expect.poll(() => shownIds(page)).toEqual(['alpha', 'gamma']);
    const fresh = await open(daemon, '/?state=paused', { javaScriptEnabled: false });
    expect(await shownIds(fresh)).toEqual(['beta']);
    expect(await fresh.locator('select[name="state"]').inputValue()).toBe('paused');
  });

  it('issue 15: on a single node the daemon strip shows uptime, the version, running / --max-concurrency and an invalid file with its problem line', async () => {
    await writeJob(tmp().jobsDir, 'sleeper', { schedule: NEVER, command: 'sleep 30' });
    const invalid = await writeJob(tmp().jobsDir, 'bad-minute', { schedule: '61 * * * *', command: 'true' });
    const daemon = await startDaemon({ dir: tmp().dir, args: ['--http', '0', '--max-concurrency', '3'] });
    const { version } = JSON.parse(await readFile(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
    const page = await open(daemon, '/');
    const field = (name: string) => page.locator('#strip .strip > div', { has: page.locator('dt', { hasText: new RegExp(`^${name}$`) }) }).locator('dd');
    expect(await field('up').innerText()).toMatch(/^\d+(ms|s|m\d*s?)$/);
    expect(await field('version').innerText()).toBe(version);
    expect(await field('running').innerText()).toBe('0 / 3');
    expect(await page.locator('#strip').innerText()).not.toContain('cluster');
    await page.getByRole('button', { name: 'Run now sleeper' }).click();
    await expect.poll(() => field('running').innerText(), { timeout: 10_000 }).toBe('1 / 3');
    const files = page.locator('#strip details.invalid');
    expect(await files.locator('summary').innerText()).toBe('1 invalid file');
    await files.locator('summary').click();
    expect(await files.locator('li code').innerText()).toBe(invalid);
    expect(await files.locator('li li').allInnerTexts()).toEqual(['schedule: minute 61 is out of range (0-59) in "61 * * * *"']);
    await page.getByRole('button', { name: 'Cancel sleeper' }).click();
    await expect.poll(() => field('running').innerText(), { timeout: 10_000 }).toBe('0 / 3');
  });

  it('issue 15: the jobs table is a semantic table with column headers; a next fire reads "in 5m", the last run its status, duration and age', async () => {
    await writeJob(tmp().jobsDir, 'five', { schedule: '@every 5m', command: 'true', description: 'every five minutes' });
    const daemon = await startDaemon({ dir: tmp().dir, args: ['--http', '0'] });
    const base = httpBase(daemon);
    await httpRequest(`${base}/api/jobs/five/run`, { method: 'POST', headers: { 'x-jobd-csrf': await csrfOf(base) } });
    await daemon.waitForEvent((e) => e.event === 'run.end' && e.job === 'five');
    const page = await open(daemon, '/');
    const table = page.getByRole('table', { name: 'Jobs, soonest next fire first' });
    expect(await table.getByRole('columnheader').allInnerTexts()).toEqual(['Job', 'Description', 'Schedule', 'State', 'Next fire', 'Last run', 'Actions']);
    expect(await table.getByRole('rowheader').allInnerTexts()).toEqual(['five']);
    const cells = row(page, 'five').getByRole('cell');
    expect(await cells.nth(0).innerText()).toBe('every five minutes');
    const next = cells.nth(3);
    expect(await next.innerText()).toMatch(/^in (5m|4m\d{1,2}s)$/);
    const planned = Date.parse((await next.locator('time').getAttribute('datetime'))!);
    expect(Math.abs(planned - Date.now() - 5 * 60_000)).toBeLessThan(30_000);
    expect(await cells.nth(4).innerText()).toMatch(/^ok \d+(ms|s) (now|\d+s ago)$/);
    const { lastRun } = (await httpRequest(`${base}/api/jobs/five`)).json as { lastRun: { endedAt: string } };
    expect(await cells.nth(4).locator('time').getAttribute('datetime')).toBe(lastRun.endedAt);
    expect(page.errors).toEqual([]);
  });
});
