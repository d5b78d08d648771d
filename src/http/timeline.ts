import type { RunRecord } from '../types.js';
import { html, type SafeHtml } from './html.js';

const DAY_MS = 86_400_000;
const WIDTH = 720;
const HEIGHT = 36;

/** The last 24 h of a job's runs as a small SVG: one mark per run, its status in colour and in its title. */
export function timelineOf(history: RunRecord[], now: number): SafeHtml {
  const from = now - DAY_MS;
  const marks: SafeHtml[] = [];
  const tally = new Map<string, number>();
  for (const run of history) {
    const start = Date.parse(run.status === 'skipped' ? run.scheduledAt : run.startedAt);
    if (!(start >= from)) continue;
    const end = run.status === 'skipped' ? start : Date.parse(run.endedAt);
    const x = ((start - from) / DAY_MS) * WIDTH;
    const w = Math.max(2, ((end - start) / DAY_MS) * WIDTH);
    tally.set(run.status, (tally.get(run.status) ?? 0) + 1);
    marks.push(html`<rect class="t-${run.status}" x="${x.toFixed(1)}" y="6" width="${w.toFixed(1)}" height="${HEIGHT - 12}"><title>${run.run}: ${run.status}</title></rect>`);
  }
  const summary = tally.size === 0 ? 'no runs in the last 24 h' : `${marks.length} runs in the last 24 h: ${[...tally].map(([s, n]) => `${n} ${s}`).join(', ')}`;
  return html`<figure class="timeline"><svg viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="${summary}" preserveAspectRatio="none">
<line class="axis" x1="0" y1="${HEIGHT / 2}" x2="${WIDTH}" y2="${HEIGHT / 2}"/>${marks}</svg>
<figcaption>${summary} <span class="ends"><span>24 h ago</span><span>now</span></span></figcaption></figure>`;
}
