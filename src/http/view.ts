import type { DaemonStatus, Job, RunRecord } from '../types.js';
import { relativeTime, shortSpan } from '../format/time-span.js';
import { html, type SafeHtml } from './html.js';

/** What every page is rendered with, besides its own data. */
export interface PageContext {
  now: number;
  maxConcurrency: number;
  /** The CSRF token the page's script sends with actions. */
  csrf: string;
  showEnv: boolean;
  /** The job behind an id, for what the status leaves out (description, env). */
  definitionOf: (id: string) => Job | null;
}

/** The whole document around a page's main content; every script and style is a file of ours (CSP `default-src 'self'`). */
export function documentOf(input: { title: string; ctx: PageContext; strip: SafeHtml; main: SafeHtml; page: string }): string {
  const { title, ctx, strip, main, page } = input;
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="jobd-csrf" content="${ctx.csrf}">
<title>${title} · jobd</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/assets/page.css">
<script type="module" src="/assets/page.js"></script>
</head>
<body data-page="${page}">
<a class="skip" href="#main">Skip to content</a>
<header class="top"><a class="brand" href="/">jobd</a><div id="strip" aria-live="polite">${strip}</div></header>
<main id="main" tabindex="-1">${main}</main>
</body>
</html>
`.html;
}

/** The daemon strip: uptime, version, running/max, counts, invalid files with their problem lines. */
export function stripOf(status: DaemonStatus, ctx: PageContext): SafeHtml {
  const files = new Map<string, string[]>();
  for (const p of status.invalidFiles) files.set(p.file, [...(files.get(p.file) ?? []), `${p.path ? `${p.path}: ` : ''}${p.message}`]);
  const shown = [...files].slice(0, 20);
  const invalid = files.size === 0 ? '' : html`<details class="invalid"><summary>${files.size} invalid file${files.size === 1 ? '' : 's'}</summary><ul>${shown.map(
    ([file, lines]) => html`<li><code>${file}</code><ul>${lines.slice(0, 5).map((line) => html`<li>${line}</li>`)}</ul></li>`,
  )}</ul>${files.size > shown.length ? html`<p>and ${files.size - shown.length} more</p>` : ''}</details>`;
  const counts = Object.entries(status.counts).filter(([, n]) => n > 0).map(([state, n]) => html`<span class="count">${n} ${state}</span>`);
  return html`<dl class="strip">
<div><dt>up</dt><dd>${shortSpan(status.uptimeMs)}</dd></div>
<div><dt>version</dt><dd>${status.version}</dd></div>
<div><dt>pid</dt><dd>${status.pid}</dd></div>
<div><dt>running</dt><dd id="running-count">${status.running.length} / ${ctx.maxConcurrency}</dd></div>
<div><dt>jobs</dt><dd>${status.jobs.length}${counts.length ? html` (${counts})` : ''}</dd></div>
${clusterOf(status)}</dl>${invalid}`;
}

// With --cluster: every node, whether it is live and what it runs; a stale view says so.
function clusterOf(status: DaemonStatus): SafeHtml | string {
  const view = status.cluster;
  if (!view) return '';
  const nodes = view.nodes.map((node) => html`<li class="node">${node.id}${node.id === view.node ? ' (this node)' : ''}: ${node.live ? 'live' : 'down'}, ${node.running} running</li>`);
  const stale = view.stale ? html` <span class="badge s-failed">stale</span>` : '';
  const diverged = view.diverged.length > 0 ? html`<p>definitions differ: ${view.diverged.join(', ')}</p>` : '';
  return html`<div class="cluster"><dt>cluster</dt><dd>${view.nodes.length} node${view.nodes.length === 1 ? '' : 's'}${stale}<ul>${nodes}</ul>${diverged}</dd></div>`;
}

/** A run's status as a badge: the word is always there, the colour only helps. */
export function statusBadge(status: string): SafeHtml {
  return html`<span class="badge s-${status}">${status}</span>`;
}

/** A time with its exact instant for the script to keep "in 5m" current. */
export function timeOf(iso: string | null, now: number): SafeHtml {
  if (iso === null) return html`<span class="none">—</span>`;
  return html`<time datetime="${iso}" title="${iso}">${relativeTime(iso, now)}</time>`;
}

/** A schedule in words with its expression under them; one `<code>` when the words are the expression. */
export function scheduleOf(schedule: string | null, words: string | null | undefined): SafeHtml {
  if (schedule === null) return html`<span class="none">—</span>`;
  if (!words || words === schedule) return html`<code class="expr">${schedule}</code>`;
  return html`<span class="words">${words}</span> <code class="expr">${schedule}</code>`;
}

/** The last run in one cell: status, duration, age. */
export function lastRunOf(run: RunRecord | null, now: number): SafeHtml {
  if (run === null) return html`<span class="none">never run</span>`;
  if (run.status === 'skipped') return html`${statusBadge('skipped')} ${timeOf(run.scheduledAt, now)}`;
  return html`${statusBadge(run.status)} <span class="dur">${shortSpan(run.durationMs)}</span> ${timeOf(run.endedAt, now)}`;
}

/** The action buttons for one job; enabled by the page's script, so without it nothing pretends to work. */
export function actionsOf(id: string, state: string, running: number): SafeHtml {
  const button = (action: string, label: string) =>
    html`<button type="button" data-action="${action}" data-job="${id}" disabled aria-label="${label} ${id}">${label}</button>`;
  return html`<span class="actions">${button('run', 'Run now')}${state === 'paused' ? button('resume', 'Resume') : button('pause', 'Pause')}${
    running > 0 ? button('cancel', 'Cancel') : ''}</span>`;
}
