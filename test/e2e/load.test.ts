import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDir } from '../helpers/e2e-setup.js';
import { sleep, waitFor } from '../helpers/process.js';
import { startDaemon } from '../helpers/start-daemon.js';

const JOBS = 1000;
const PERIOD_S = 20;

/** `job scheduledAt` pairs the commands appended, one line per real process start. */
async function readStamps(file: string): Promise<string[]> {
  const text = await readFile(file, 'utf8').catch(() => '');
  return text.split('\n').filter((line) => line !== '');
}

describe('correctness under load (issue: no missed or duplicate fires at 1,000 jobs)', () => {
  const tmp = useTempDir();

  it('1,000 jobs due on the same instants each start exactly once per instant', { timeout: 150_000 }, async () => {
    const stamps = tmp().path('stamps');
    await mkdir(tmp().jobsDir, { recursive: true });
    const ids = Array.from({ length: JOBS }, (_, i) => `load-${String(i).padStart(4, '0')}`);
    await Promise.all(
      ids.map((id) =>
        writeFile(
          join(tmp().jobsDir, `${id}.json`),
          JSON.stringify({ schedule: `*/${PERIOD_S} * * * * *`, command: `echo "$JOBD_JOB_ID $JOBD_SCHEDULED_AT" >> '${stamps}'` }),
        ),
      ),
    );
    const daemon = await startDaemon({ dir: tmp().dir, startTimeoutMs: 60_000 });
    // The first two whole instants after start-up; an instant already under way is left out.
    const periodMs = PERIOD_S * 1000;
    const first = Math.ceil((Date.now() + 500) / periodMs) * periodMs;
    const instants = [first, first + periodMs].map((ms) => new Date(ms).toISOString());

    const counted = async () => {
      const lines = await readStamps(stamps);
      return lines.filter((line) => instants.includes(line.split(' ')[1]!)).length;
    };
    await waitFor(async () => (await counted()) >= 2 * JOBS, { timeoutMs: 2 * periodMs + 60_000, what: `${2 * JOBS} stamps` });
    // Room for a duplicate start to show up.
    await sleep(2_000);
    expect((await daemon.stop()).code).toBe(0);

    const seen = new Map<string, number>();
    for (const line of await readStamps(stamps)) seen.set(line, (seen.get(line) ?? 0) + 1);
    for (const at of instants) {
      const missing = ids.filter((id) => !seen.has(`${id} ${at}`));
      expect(missing, `jobs that did not start for ${at}`).toEqual([]);
    }
    const doubled = [...seen].filter(([, n]) => n > 1).map(([line]) => line);
    expect(doubled, 'fires that started twice').toEqual([]);
    const measured = new Set(daemon.events.filter((e) => e.event === 'run.start' && instants.includes(String(e.scheduledAt))).map((e) => e.run));
    expect(measured.size).toBe(2 * JOBS);
    const ends = daemon.events.filter((e) => e.event === 'run.end' && measured.has(e.run));
    expect(ends).toHaveLength(2 * JOBS);
    expect(ends.filter((e) => e.status !== 'ok')).toEqual([]);
    expect(daemon.eventsOf('run.skipped')).toEqual([]);
  });
});
