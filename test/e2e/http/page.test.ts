import { writeFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { artifactPath, jobRow as row, useBrowser } from '../../helpers/browser.js';
import { useTempDir } from '../../helpers/e2e-setup.js';
import { csrfOf, httpBase, httpRequest } from '../../helpers/http.js';
import { writeJob } from '../../helpers/jobs.js';
import { startDaemon } from '../../helpers/start-daemon.js';

const SECRET = 'page-secret-value-77';
const NEVER = '0 0 1 1 *';

describe('issue 15: the status page in a real browser', () => {
  const tmp = useTempDir();
  const { open } = useBrowser();
  // Text and background of the body and of a state badge, and the edge of the filter box, as the browser paints them.
  const colours = async (page: Page) => {
    const paint = async (selector: string) => (await page.evaluate(`(() => {
      const style = getComputedStyle(document.querySelector(${JSON.stringify(selector)}));
      return [style.color, style.backgroundColor, style.borderTopColor];
    })()`)) as string[];
    const [body, badge, input] = await Promise.all([paint('body'), paint('#rows .state'), paint('#filters input')]);
    return { body: body.slice(0, 2), badge: badge.slice(0, 2), input: input[2] };
  };

  it('issue 15.1: the page lists the jobs and shows a run\'s status change live, without a reload', async () => {
    const flag = tmp().path('flag');
    await writeJob(tmp().jobsDir, 'flip', { schedule: '@every 1s', command: `test -f '${flag}'`, description: 'fails until the flag exists' });
    await writeJob(tmp().jobsDir, 'nightly-backup', { schedule: '0 3 * * *', command: 'true', description: 'Back up the database' });
    const daemon = await startDaemon({ dir: tmp().dir, args: ['--http', '0'] });
    const page = await open(daemon, '/');
    await expect.poll(() => row(page, 'nightly-backup').innerText()).toContain('Back up the database');
    const schedule = row(page, 'nightly-backup').locator('td.schedule');
    await expect.poll(() => schedule.locator('.words').innerText()).toBe('every day at 03:00');
    expect(await schedule.locator('code').innerText()).toBe('0 3 * * *');
    expect(await row(page, 'flip').locator('td.schedule').innerText()).toBe('every second\n@every 1s');
    await expect.poll(() => row(page, 'flip').innerText(), { timeout: 10_000 }).toContain('failed');
    await page.evaluate('window.stayed = true');
    await writeFile(flag, '');
    await expect.poll(() => row(page, 'flip').locator('.badge').innerText(), { timeout: 10_000 }).toBe('ok');
    await writeJob(tmp().jobsDir, 'newcomer', { schedule: '@every 1h', command: 'true', description: 'added while the page was open' });
    await expect.poll(() => row(page, 'newcomer').count(), { timeout: 10_000 }).toBe(1);
    expect(await page.evaluate('window.stayed')).toBe(true);
    expect(await page.locator('#rows th a').first().innerText()).toBe('flip');
    await page.screenshot({ path: await artifactPath('status-page.png'), fullPage: true });
    expect(page.errors).toEqual([]);
  });

  it('issue 15.2: "Run now" starts a run, and the page shows it end', async () => {
    await writeJob(tmp().jobsDir, 'by-hand', { schedule: NEVER, command: 'echo clicked' });
    const daemon = await startDaemon({ dir: tmp().dir, args: ['--http', '0'] });
    const page = await open(daemon, '/');
    await expect.poll(() => row(page, 'by-hand').innerText()).toContain('never run');
    await page.getByRole('button', { name: 'Run now by-hand' }).click();
    await expect.poll(() => page.locator('#flash').innerText()).toBe('by-hand: run by-hand-1 started');
    await expect.poll(() => row(page, 'by-hand').locator('.badge').innerText(), { timeout: 10_000 }).toBe('ok');
    expect(daemon.eventsOf('run.start', 'by-hand')[0]).toMatchObject({ run: 'by-hand-1', trigger: 'manual' });
  });

  it('issue 15.3: Pause shows the job paused, Resume shows it scheduled again', async () => {
    await writeJob(tmp().jobsDir, 'pausable', { schedule: '@every 1h', command: 'true' });
    const daemon = await startDaemon({ dir: tmp().dir, args: ['--http', '0'] });
    const page = await open(daemon, '/');
    await page.getByRole('button', { name: 'Pause pausable' }).click();
    await expect.poll(() => row(page, 'pausable').locator('.state').innerText()).toBe('paused');
    expect(((await httpRequest(`${httpBase(daemon)}/api/jobs/pausable`)).json as { state: string }).state).toBe('paused');
    await expect(page.getByRole('button', { name: 'Resume pausable' }).isEnabled()).resolves.toBe(true);
    await page.getByRole('button', { name: 'Resume pausable' }).click();
    await expect.poll(() => row(page, 'pausable').locator('.state').innerText()).toBe('scheduled');
    expect(((await httpRequest(`${httpBase(daemon)}/api/jobs/pausable`)).json as { state: string }).state).toBe('scheduled');
  });

  it('issue 15.4: the job page shows the definition with env hidden, next 10 fires, the timeline, and a chosen run\'s output tail', async () => {
    await writeJob(tmp().jobsDir, 'report', { schedule: '@every 1h', command: 'echo "report from $JOBD_RUN_ID"; echo warn >&2', env: { TOKEN: SECRET } });
    const daemon = await startDaemon({ dir: tmp().dir, args: ['--http', '0'] });
    const base = httpBase(daemon);
    const headers = { 'x-jobd-csrf': await csrfOf(base) };
    for (const run of ['report-1', 'report-2']) {
      await httpRequest(`${base}/api/jobs/report/run`, { method: 'POST', headers });
      await daemon.waitForEvent((e) => e.event === 'run.end' && e.run === run);
    }
    const page = await open(daemon, '/');
    await page.getByRole('link', { name: 'report', exact: true }).click();
    await page.waitForURL(/\/job\/report$/);
    expect(await page.locator('p.schedule').innerText()).toBe('Schedule: every hour @every 1h');
    const definition = await page.locator('.definition').innerText();
    expect(definition).toContain('"TOKEN": "***"');
    expect(await page.content()).not.toContain(SECRET);
    expect(await page.locator('.fires li').count()).toBe(10);
    expect(await page.locator('.timeline figcaption').innerText()).toContain('2 runs in the last 24 h: 2 ok');
    expect(await page.locator('.timeline rect.t-ok').count()).toBe(2);
    expect((await page.locator('#tail-stdout').innerText()).trim()).toBe('report from report-2');
    await page.getByRole('link', { name: 'report-1' }).click();
    await expect.poll(async () => (await page.locator('#tail-stdout').innerText()).trim()).toBe('report from report-1');
    expect((await page.locator('#tail-stderr').innerText()).trim()).toBe('warn');
    expect(await page.locator('.history .badge').allInnerTexts()).toEqual(['ok', 'ok']);
    await page.screenshot({ path: await artifactPath('job-page.png'), fullPage: true });
  });

  it('issue 15.5: the job page shows a running run\'s output live', async () => {
    await writeJob(tmp().jobsDir, 'talker', { schedule: NEVER, command: 'for i in 1 2 3 4 5 6 7 8; do echo line-$i; sleep 0.3; done' });
    const daemon = await startDaemon({ dir: tmp().dir, args: ['--http', '0'] });
    const page = await open(daemon, '/job/talker');
    await page.getByRole('button', { name: 'Run now talker' }).click();
    await expect.poll(() => page.locator('#live-output').innerText(), { timeout: 5_000 }).toContain('line-3');
    expect(daemon.eventsOf('run.end', 'talker')).toHaveLength(0);
    expect(await page.locator('#live h2').innerText()).toBe('Live output of talker-1');
    await expect.poll(() => page.locator('#tail-stdout').innerText(), { timeout: 10_000 }).toContain('line-8');
  });

  it('issue 15.6: keyboard: "/" focuses the filter, typing narrows the table without a reload, arrows move between jobs', async () => {
    for (const id of ['alpha', 'beta', 'gamma', 'delta']) await writeJob(tmp().jobsDir, id, { schedule: '@every 1h', command: 'true', description: `the ${id} job` });
    const daemon = await startDaemon({ dir: tmp().dir, args: ['--http', '0'] });
    const page = await open(daemon, '/');
    await page.locator('#rows th a').first().focus();
    await page.keyboard.press('ArrowDown');
    expect(await page.evaluate('document.activeElement?.textContent')).toBe(await page.locator('#rows th a').nth(1).innerText());
    await page.keyboard.press('/');
    expect(await page.evaluate("document.activeElement?.getAttribute('name')")).toBe('q');
    await page.keyboard.type('gam');
    await expect.poll(() => page.locator('#rows tr').count()).toBe(1);
    expect(await row(page, 'gamma').count()).toBe(1);
    expect(page.url()).toMatch(/\?q=gam$/);
    await page.locator('select[name="state"]').selectOption('paused');
    await expect.poll(() => page.locator('#rows').innerText()).toContain('No job matches.');
  });

  it('issue 15.6: a job link keeps the keyboard focus while live updates redraw the table', async () => {
    for (const id of ['alpha', 'beta']) await writeJob(tmp().jobsDir, id, { schedule: '@every 1h', command: 'true', description: `the ${id} job` });
    await writeJob(tmp().jobsDir, 'busy', { schedule: '@every 1s', command: 'true', description: 'redraws the table every second' });
    const daemon = await startDaemon({ dir: tmp().dir, args: ['--http', '0'] });
    const page = await open(daemon, '/');
    await row(page, 'beta').locator('th a').focus();
    const ends = daemon.eventsOf('run.end', 'busy').length;
    await daemon.waitForEvents((e) => e.event === 'run.end' && e.job === 'busy', ends + 3, { timeoutMs: 10_000 });
    await expect.poll(() => row(page, 'busy').innerText(), { timeout: 5_000 }).toContain('ok');
    expect(await page.evaluate('document.activeElement?.textContent')).toBe('beta');
    // busy fires soonest, so it is above beta: the arrows go on from the link that kept the focus.
    await page.keyboard.press('ArrowUp');
    expect(await page.evaluate('document.activeElement?.textContent')).not.toBe('beta');
    expect(await page.evaluate('document.activeElement?.closest("#rows") !== null')).toBe(true);
  });

  it('issue 15.7: with JavaScript off the table is still there; the page follows prefers-color-scheme in text, badges and control edges', async () => {
    await writeJob(tmp().jobsDir, 'static', { schedule: '@every 1h', command: 'true', description: 'seen without scripts' });
    const daemon = await startDaemon({ dir: tmp().dir, args: ['--http', '0'] });
    const page = await open(daemon, '/', { javaScriptEnabled: false, colorScheme: 'dark' });
    expect(await row(page, 'static').innerText()).toContain('seen without scripts');
    expect(await page.getByRole('button', { name: 'Run now static' }).isDisabled()).toBe(true);
    const dark = await colours(page);
    const light = await colours(await open(daemon, '/', { colorScheme: 'light' }));
    expect(light).toEqual({
      body: ['rgb(27, 27, 27)', 'rgb(255, 255, 255)'], badge: ['rgb(10, 92, 38)', 'rgb(227, 245, 233)'], input: 'rgb(128, 133, 142)',
    });
    expect(dark).toEqual({
      body: ['rgb(232, 232, 232)', 'rgb(21, 23, 26)'], badge: ['rgb(141, 224, 168)', 'rgb(18, 53, 31)'], input: 'rgb(107, 114, 128)',
    });
  });
});
