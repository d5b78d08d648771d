import type { ServerResponse } from 'node:http';
import type { DaemonControl } from '../types.js';
import type { Target } from '../control/request.js';
import { sendJson } from '../control/send-json.js';
import { escapeHtml, html } from './html.js';
import { jobBody, jobMain } from './job-page.js';
import { jobsMain, jobsParts, jobsQuery } from './jobs-page.js';
import { documentOf, stripOf, type PageContext } from './view.js';

/**
 * Answers a page: `/` (the jobs table) or `/job/<id>`. With `?parts=1` the
 * answer is the page's replaceable pieces as JSON, for the script's live updates.
 */
export async function answerPage(input: { control: DaemonControl; target: Target; res: ServerResponse; ctx: PageContext }): Promise<void> {
  const { control, target, res, ctx } = input;
  const { parts, query } = target;
  const wantsParts = query.get('parts') === '1';
  const status = control.status();
  const strip = stripOf(status, ctx);
  if (parts.length === 0) {
    const q = jobsQuery(query);
    const pieces = jobsParts(status, q, ctx, strip);
    if (wantsParts) return sendJson(res, 200, pieces);
    return sendHtml(res, 200, documentOf({ title: 'Jobs', ctx, strip, main: jobsMain(pieces, q), page: 'jobs' }));
  }
  if (parts[0] === 'job' && parts.length === 2) {
    const detail = await control.job(parts[1]!);
    if (!detail.ok) return notFound(res, ctx, detail.error);
    const history = [...detail.value.history].reverse();
    const chosenId = query.get('run');
    const chosen = history.find((r) => r.run === chosenId) ?? history.find((r) => r.status !== 'skipped') ?? null;
    if (wantsParts) return sendJson(res, 200, { strip: strip.html, body: jobBody(detail.value, chosen, ctx).html, running: detail.value.running });
    return sendHtml(res, 200, documentOf({ title: detail.value.id, ctx, strip, main: jobMain(detail.value, chosenId, ctx), page: 'job' }));
  }
  return notFound(res, ctx, `no page ${target.pathname}`);
}

function notFound(res: ServerResponse, ctx: PageContext, message: string): void {
  const main = html`<h1>Not found</h1><p>${message}</p><p><a href="/">All jobs</a></p>`;
  sendHtml(res, 404, documentOf({ title: 'Not found', ctx, strip: html``, main, page: 'error' }));
}

/** An HTML answer. */
function sendHtml(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' }).end(text);
}

/** A refusal as a small page a person can read (the API answers JSON instead). */
export function refusalPage(res: ServerResponse, status: number, message: string): void {
  sendHtml(res, status, `<!doctype html><html lang="en"><meta charset="utf-8"><title>jobd</title><p>${escapeHtml(message)}</p></html>\n`);
}
