import type { Job, JobStatus, RunRecord } from '../types.js';
import { nextFires } from '../schedule/next-fire.js';
import { shortSpan } from '../format/time-span.js';
import { html, type SafeHtml } from './html.js';
import { timelineOf } from './timeline.js';
import { actionsOf, scheduleOf, statusBadge, timeOf, type PageContext } from './view.js';

/** What `control.job(id)` answers. */
export type JobDetail = JobStatus & { definition: Job | null; history: RunRecord[] };

/** What stands for an env value on the page unless `--http-show-env`. */
export const ENV_MASK = '***';

/** The job page's main content: definition, next fires, timeline, history, the chosen run's output, live output. */
export function jobMain(detail: JobDetail, chosenRun: string | null, ctx: PageContext): SafeHtml {
  const description = ctx.definitionOf(detail.id)?.description;
  const history = [...detail.history].reverse();
  const chosen = history.find((r) => r.run === chosenRun) ?? history.find((r) => r.status !== 'skipped') ?? null;
  return html`<p><a href="/">← all jobs</a></p>
<h1 id="job-title" data-job="${detail.id}">${detail.id}</h1>
${description ? html`<p class="description">${description}</p>` : ''}
<div id="job-body">${jobBody(detail, chosen, ctx)}</div>
<section id="live" class="live" hidden aria-live="polite"><h2>Live output</h2><pre id="live-output"></pre></section>`;
}

/** The part of the job page the script replaces after a run starts or ends. */
export function jobBody(detail: JobDetail, chosen: RunRecord | null, ctx: PageContext): SafeHtml {
  const after = detail.definition?.after ?? [];
  const schedule = detail.schedule === null && after.length > 0 ? html`after ${after.join(', ')}` : scheduleOf(detail.schedule, detail.scheduleWords);
  return html`<p class="schedule">Schedule: ${schedule}</p>
<p>State: <span class="state st-${detail.state}">${detail.state}</span> · next fire ${timeOf(detail.nextRunAt, ctx.now)}
· ${detail.runCount} runs ${detail.state === 'invalid' ? '' : actionsOf(detail.id, detail.state, detail.running.length)}</p>
${detail.problems?.length ? html`<ul class="problems">${detail.problems.map((p) => html`<li>${p.path ? `${p.path}: ` : ''}${p.message}</li>`)}</ul>` : ''}
<h2>Last 24 hours</h2>${timelineOf(detail.history, ctx.now)}
<div class="cols"><section><h2>Definition</h2><pre class="definition">${definitionText(detail, ctx)}</pre></section>
<section><h2>Next fires</h2>${nextList(detail, ctx.now)}</section></div>
<h2>Runs</h2>${historyTable(detail, chosen)}
<h2 id="output">Output${chosen ? html` of <code>${chosen.run}</code>` : ''}</h2>${outputOf(chosen)}`;
}

function definitionText(detail: JobDetail, ctx: PageContext): string {
  const job = ctx.definitionOf(detail.id) ?? detail.definition;
  if (!job) return 'no valid definition';
  const env = Object.fromEntries(Object.entries(job.env).map(([key, value]) => [key, ctx.showEnv ? value : ENV_MASK]));
  return JSON.stringify({ ...job, env }, null, 2);
}

function nextList(detail: JobDetail, now: number): SafeHtml {
  const schedule = detail.definition?.schedule;
  if (!schedule || detail.state === 'paused' || detail.state === 'disabled') return html`<p class="none">none planned</p>`;
  if (schedule.kind === 'start') return html`<p class="none">at each daemon start (@reboot)</p>`;
  const planned = detail.nextRunAt === null ? null : Date.parse(detail.nextRunAt);
  const fires = planned === null ? nextFires(schedule, now, 10) : [planned, ...nextFires(schedule, planned, 9, planned)];
  if (fires.length === 0) return html`<p class="none">none planned</p>`;
  return html`<ol class="fires">${fires.map((at) => html`<li>${timeOf(new Date(at).toISOString(), now)} <span class="iso">${new Date(at).toISOString()}</span></li>`)}</ol>`;
}

function historyTable(detail: JobDetail, chosen: RunRecord | null): SafeHtml {
  if (detail.history.length === 0) return html`<p class="none">No runs yet.</p>`;
  const rows = [...detail.history].reverse().map((r) => {
    const current = r === chosen ? html` aria-current="true"` : '';
    const link = html`<a href="/job/${encodeURIComponent(detail.id)}?run=${encodeURIComponent(r.run)}#output"${current}>${r.run}</a>`;
    if (r.status === 'skipped') return html`<tr><th scope="row">${link}</th><td>${r.trigger}</td><td>${statusBadge('skipped')}</td><td>${r.scheduledAt}</td><td>—</td><td>${r.reason}</td></tr>`;
    return html`<tr><th scope="row">${link}</th><td>${r.trigger}</td><td>${statusBadge(r.status)}</td><td>${r.startedAt}</td><td>${shortSpan(r.durationMs)}</td><td>${
      r.exitCode ?? r.signal ?? r.error ?? '—'}</td></tr>`;
  });
  return html`<table class="history"><caption>Most recent first</caption><thead><tr><th scope="col">Run</th><th scope="col">Trigger</th><th scope="col">Status</th><th scope="col">Started</th><th scope="col">Took</th><th scope="col">Exit</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function outputOf(run: RunRecord | null): SafeHtml {
  if (run === null || run.status === 'skipped') return html`<p class="none">No output to show.</p>`;
  const stream = (name: string, text: string) => html`<h3>${name}</h3><pre class="output" id="tail-${name}">${text === '' ? '(empty)' : text}</pre>`;
  return html`${stream('stdout', run.stdout)}${stream('stderr', run.stderr)}`;
}
