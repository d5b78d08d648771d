import type { DaemonStatus, JobState, JobStatus } from '../types.js';
import { html, type SafeHtml } from './html.js';
import { actionsOf, lastRunOf, scheduleOf, timeOf, type PageContext } from './view.js';

/** Rows in one page of the jobs table: 10,000 jobs are pages, never one DOM of 10,000 rows. */
export const PAGE_SIZE = 100;
const MAX_FILTER_CHARS = 200;
const STATES: readonly JobState[] = ['scheduled', 'running', 'paused', 'disabled', 'done', 'invalid'];

/** What the jobs table was asked to show. */
export interface JobsQuery {
  text: string;
  state: JobState | null;
  page: number;
}

/** Reads `?q=&state=&page=` from the address bar; anything odd falls back to its default, never throws. */
export function jobsQuery(query: URLSearchParams): JobsQuery {
  const text = (query.get('q') ?? '').slice(0, MAX_FILTER_CHARS).trim();
  const rawState = query.get('state') ?? '';
  const state = (STATES as readonly string[]).includes(rawState) ? (rawState as JobState) : null;
  const rawPage = query.get('page') ?? '1';
  const page = /^\d{1,6}$/.test(rawPage) ? Math.max(1, Number(rawPage)) : 1;
  return { text, state, page };
}

/** The jobs table's pieces: each is replaced whole by the page's script when the daemon reports a change. */
export interface JobsParts {
  strip: string;
  rows: string;
  pager: string;
}

/** The jobs that pass the filter, sorted by next fire (none last), then id. */
function selectJobs(jobs: JobStatus[], query: JobsQuery, ctx: PageContext): JobStatus[] {
  const needle = query.text.toLowerCase();
  const matches = (job: JobStatus): boolean => {
    if (query.state !== null && job.state !== query.state) return false;
    if (needle === '') return true;
    const description = ctx.definitionOf(job.id)?.description ?? '';
    return job.id.toLowerCase().includes(needle) || description.toLowerCase().includes(needle);
  };
  const at = (job: JobStatus): number => (job.nextRunAt === null ? Infinity : Date.parse(job.nextRunAt));
  return jobs.filter(matches).sort((a, b) => at(a) - at(b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** One page of rows and the pager under them. */
export function jobsParts(status: DaemonStatus, query: JobsQuery, ctx: PageContext, strip: SafeHtml): JobsParts {
  const selected = selectJobs(status.jobs, query, ctx);
  const pages = Math.max(1, Math.ceil(selected.length / PAGE_SIZE));
  const page = Math.min(query.page, pages);
  const shown = selected.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE);
  const rows = shown.length === 0
    ? html`<tr><td colspan="7" class="none">No job matches.</td></tr>`
    : html`${shown.map((job) => rowOf(job, ctx))}`;
  return { strip: strip.html, rows: rows.html, pager: pagerOf({ query, page, pages, total: selected.length }).html };
}

function rowOf(job: JobStatus, ctx: PageContext): SafeHtml {
  const description = ctx.definitionOf(job.id)?.description ?? '';
  const problem = job.problems?.[0];
  return html`<tr data-job="${job.id}">
<th scope="row"><a href="/job/${encodeURIComponent(job.id)}">${job.id}</a></th>
<td>${description}${problem ? html`<div class="problem">${problem.path ? `${problem.path}: ` : ''}${problem.message}</div>` : ''}</td>
<td class="schedule">${scheduleOf(job.schedule, job.scheduleWords)}</td>
<td><span class="state st-${job.state}">${job.state}</span></td>
<td>${timeOf(job.nextRunAt, ctx.now)}</td>
<td>${lastRunOf(job.lastRun, ctx.now)}</td>
<td>${job.state === 'invalid' ? '' : actionsOf(job.id, job.state, job.running.length)}</td>
</tr>`;
}

function pagerOf(input: { query: JobsQuery; page: number; pages: number; total: number }): SafeHtml {
  const { query, page, pages, total } = input;
  const link = (to: number, label: string) => {
    const params = new URLSearchParams();
    if (query.text) params.set('q', query.text);
    if (query.state) params.set('state', query.state);
    params.set('page', String(to));
    return html`<a href="/?${params.toString()}">${label}</a>`;
  };
  const first = total === 0 ? 0 : (page - 1) * PAGE_SIZE + 1;
  return html`<span>${first}–${Math.min(page * PAGE_SIZE, total)} of ${total}</span>
${page > 1 ? link(page - 1, '← previous') : ''} ${page < pages ? link(page + 1, 'next →') : ''}`;
}

/** The jobs page's main content: filters, the table, the pager. */
export function jobsMain(parts: JobsParts, query: JobsQuery): SafeHtml {
  const option = (value: string, label: string) =>
    html`<option value="${value}"${(query.state ?? '') === value ? html` selected` : ''}>${label}</option>`;
  return html`<h1>Jobs</h1>
<form class="filters" id="filters" method="get" action="/" role="search">
<label>Filter <input type="search" name="q" value="${query.text}" maxlength="200" autocomplete="off"></label>
<label>State <select name="state">${option('', 'any')}${STATES.map((s) => option(s, s))}</select></label>
<button type="submit">Apply</button>
</form>
<table class="jobs">
<caption>Jobs, soonest next fire first</caption>
<thead><tr><th scope="col">Job</th><th scope="col">Description</th><th scope="col">Schedule</th><th scope="col">State</th><th scope="col">Next fire</th><th scope="col">Last run</th><th scope="col">Actions</th></tr></thead>
<tbody id="rows">${{ html: parts.rows }}</tbody>
</table>
<nav class="pager" id="pager" aria-label="Pages">${{ html: parts.pager }}</nav>`;
}
