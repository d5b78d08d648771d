// `node test/bench/spread-trace.js [node flags…]`: the spread case (600 one-shots, 100/s; RATE=300 for 300/s) on the
// built daemon with --trace-gc and debug logging, printing lateness, the GC pauses and the state
// saves inside the window, and the latest fires, so a stall can be matched with its cause.
// JOBD_BIN runs another build (e.g. a worktree of an older commit) for before/after figures.
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { makeDir, removeDir } from './lib/systems.js';
import { wallMs } from './lib/jobd.js';

const bin = process.env.JOBD_BIN ?? fileURLToPath(new URL('../../bin/jobd.js', import.meta.url));
const dir = makeDir('spread-trace');
const stamps = join(dir, 'stamps');
mkdirSync(join(dir, 'jobs.d'));
const rate = Number(process.env.RATE ?? 100);
const count = rate * 6;
const t0 = Math.ceil(wallMs() + 4000);
for (let i = 0; i < count; i += 1) {
  const command = `echo "$JOBD_JOB_ID $JOBD_SCHEDULED_AT $(date +%s%N)" >> ${stamps}`;
  writeFileSync(join(dir, 'jobs.d', `s${String(i).padStart(5, '0')}.json`), JSON.stringify({ schedule: new Date(t0 + Math.round((i * 1000) / rate)).toISOString(), command }));
}
const args = ['--trace-gc', ...process.argv.slice(2), bin, 'start', '--jobs-dir', join(dir, 'jobs.d'), '--state-file', join(dir, 'state.json'),
  '--followup-log', join(dir, 'followups.log'), '--socket', join(dir, 'jobd.sock'), '--no-pretty', '--log-level', 'debug'];
const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
const gcs = [];
const saves = [];
createInterface({ input: child.stdout }).on('line', (line) => {
  const at = wallMs() - t0;
  if (line.startsWith('{')) {
    const event = JSON.parse(line);
    if (event.event === 'state.saved') saves.push([at, event.durationMs]);
    return;
  }
  const gc = /\s[\d.]+ ms: (\S+).*?, ([\d.]+) \/ [\d.]+ ms/.exec(line);
  if (gc) gcs.push([at, gc[1], Number(gc[2])]);
});
setTimeout(() => child.kill('SIGTERM'), t0 + 9000 - wallMs());
child.on('exit', () => {
  const fires = readFileSync(stamps, 'utf8').trim().split('\n').map((l) => {
    const [, scheduled, started] = l.split(' ');
    return [Date.parse(scheduled) - t0, Number(started) / 1e6 - Date.parse(scheduled)];
  });
  const late = fires.map(([, l]) => l).sort((a, b) => a - b);
  const at = (q) => late[Math.min(late.length - 1, Math.floor(late.length * q))].toFixed(1);
  console.log(`fires ${late.length} of ${count}, lateness p50 ${at(0.5)} p99 ${at(0.99)} max ${late.at(-1).toFixed(1)} ms`);
  const inWindow = ([t]) => t > -200 && t < 6200;
  console.log(`GC pauses ≥ 2 ms (at:kind:ms): ${gcs.filter(inWindow).filter((g) => g[2] >= 2).map(([t, k, d]) => `${t.toFixed(0)}:${k}:${d}`).join(' ')}`);
  console.log(`saves (at:durationMs): ${saves.filter(inWindow).map(([t, d]) => `${t.toFixed(0)}:${d}`).join(' ')}`);
  console.log(`latest fires (due:late ms): ${fires.sort((a, b) => b[1] - a[1]).slice(0, 10).map(([t, l]) => `${t}:${l.toFixed(0)}`).join(' ')}`);
  removeDir(dir);
});
