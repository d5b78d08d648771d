import { describe, expect, it } from 'vitest';
import { useTempDir } from '../../helpers/e2e-setup.js';
import { expectCleanStop, expectStillHealthy, processesTagged, startHostileDaemon } from '../../helpers/hostile.js';
import { writeJob } from '../../helpers/jobs.js';

describe('hostile suite: the checks themselves', () => {
  const tmp = useTempDir();

  it('a daemon left alone is healthy, and its tagged commands are found while they run', async () => {
    await writeJob(tmp().jobsDir, 'sleeper', { schedule: '@every 1s', command: 'sleep 30', overlap: 'skip' });
    const target = await startHostileDaemon({ dir: tmp().dir, shutdownGrace: '200ms' });
    const start = await target.daemon.waitForEvent((e) => e.event === 'run.start' && e.job === 'sleeper', { timeoutMs: 8_000 });
    await expectStillHealthy(target);
    expect(processesTagged(target.tag)).toContain(Number(start.pid));
    await expectCleanStop(target);
  });
});
