// jobd status page: live updates from /api/events, actions, filter as you type.
// The server renders every page whole; this only keeps it current. Text from the
// daemon is put in with textContent; HTML comes only from the server, which escapes it.

const csrf = document.querySelector('meta[name="jobd-csrf"]')?.content ?? '';
const page = document.body.dataset.page;
const jobId = document.getElementById('job-title')?.dataset.job ?? null;
const REFRESH_GAP_MS = 700;
const LIVE_LINES = 500;
const PAGE_EVENTS = new Set(['run.start', 'run.end', 'run.skipped', 'job.loaded', 'job.updated', 'job.removed', 'job.invalid', 'job.duplicate']);

function flash(text) {
  let box = document.getElementById('flash');
  if (!box) {
    box = document.createElement('p');
    box.id = 'flash';
    box.className = 'flash';
    box.setAttribute('role', 'status');
    document.getElementById('main').prepend(box);
  }
  box.textContent = text;
}

function enableActions() {
  if (!csrf) return;
  for (const button of document.querySelectorAll('button[data-action]')) button.disabled = false;
}

function partsUrl() {
  const params = new URLSearchParams(location.search);
  params.set('parts', '1');
  return `${location.pathname}?${params}`;
}

let refreshing = false;
let again = false;
let lastRefresh = 0;

async function refresh() {
  if (refreshing) return void (again = true);
  refreshing = true;
  const wait = lastRefresh + REFRESH_GAP_MS - Date.now();
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  try {
    const answer = await fetch(partsUrl(), { headers: { accept: 'application/json' } });
    if (answer.ok) applyParts(await answer.json());
  } catch {
    // The daemon is restarting or gone; the next event or reconnect tries again.
  }
  lastRefresh = Date.now();
  refreshing = false;
  if (again) {
    again = false;
    void refresh();
  }
}

// A live update replaces the table: whatever had the keyboard's focus in it (an action
// button, a job's link) gets it back, so a keyboard user is not sent back to the page's top.
function focusKey(element) {
  if (element?.dataset?.action) return `button[data-action="${element.dataset.action}"][data-job="${CSS.escape(element.dataset.job)}"]`;
  if (element instanceof HTMLAnchorElement && element.closest('#rows, #pager, #job-body')) return `a[href="${CSS.escape(element.getAttribute('href') ?? '')}"]`;
  return null;
}

function applyParts(parts) {
  const key = focusKey(document.activeElement);
  document.getElementById('strip').innerHTML = parts.strip;
  if (page === 'jobs') {
    document.getElementById('rows').innerHTML = parts.rows;
    document.getElementById('pager').innerHTML = parts.pager;
  } else if (page === 'job') {
    document.getElementById('job-body').innerHTML = parts.body;
  }
  enableActions();
  updateTimes();
  if (key) document.querySelector(key)?.focus();
}

async function act(button) {
  const { action, job } = button.dataset;
  button.disabled = true;
  try {
    const answer = await fetch(`/api/jobs/${encodeURIComponent(job)}/${action}`, {
      method: 'POST',
      headers: { 'x-jobd-csrf': csrf },
    });
    const body = await answer.json().catch(() => ({}));
    if (!answer.ok) flash(`${job}: ${body.error ?? `refused (${answer.status})`}`);
    else if (action === 'run') flash(`${job}: ${body.run ? `run ${body.run} started` : 'run queued'}`);
    else flash(`${job}: ${action === 'cancel' ? 'cancelled' : action === 'pause' ? 'paused' : 'resumed'}`);
  } catch {
    flash(`${job}: the daemon did not answer`);
  }
  await refresh();
}

function relative(ms) {
  const abs = Math.abs(ms);
  if (abs < 1000) return 'now';
  const units = [['d', 86400000], ['h', 3600000], ['m', 60000], ['s', 1000]];
  for (let i = 0; i < units.length; i += 1) {
    const [unit, size] = units[i];
    if (abs < size) continue;
    const whole = Math.floor(abs / size);
    const next = units[i + 1];
    const rest = next ? Math.floor((abs - whole * size) / next[1]) : 0;
    const text = rest > 0 && whole < 10 ? `${whole}${unit}${rest}${next[0]}` : `${whole}${unit}`;
    return ms > 0 ? `in ${text}` : `${text} ago`;
  }
  return 'now';
}

function updateTimes() {
  const now = Date.now();
  for (const time of document.querySelectorAll('time[datetime]')) {
    const at = Date.parse(time.dateTime);
    if (!Number.isNaN(at)) time.textContent = relative(at - now);
  }
}

function onEvent(event) {
  if (page === 'job') {
    if (event.job !== jobId) return;
    if (event.event === 'run.start') startLive(event.run);
    else if (event.event === 'run.output') appendLive(event);
  }
  if (PAGE_EVENTS.has(event.event)) void refresh();
}

function startLive(run) {
  const live = document.getElementById('live');
  live.hidden = false;
  live.querySelector('h2').textContent = `Live output of ${run}`;
  document.getElementById('live-output').textContent = '';
}

function appendLive(event) {
  const out = document.getElementById('live-output');
  document.getElementById('live').hidden = false;
  const line = document.createElement('span');
  line.className = `line ${event.stream}`;
  line.textContent = `${event.line}\n`;
  out.append(line);
  while (out.childElementCount > LIVE_LINES) out.firstElementChild.remove();
}

// The same NDJSON stream `jobd logs --follow` reads; reconnects with a growing pause.
async function follow(pause = 500) {
  const path = page === 'job' ? `/api/events?job=${encodeURIComponent(jobId)}` : '/api/events';
  try {
    const answer = await fetch(path);
    if (answer.ok && answer.body) {
      pause = 500;
      void refresh();
      const reader = answer.body.pipeThrough(new TextDecoderStream()).getReader();
      let rest = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        const lines = (rest + value).split('\n');
        rest = lines.pop();
        for (const line of lines) {
          if (line.trim() === '') continue;
          try {
            onEvent(JSON.parse(line));
          } catch {
            // A line cut by a dropped connection: nothing to show of it.
          }
        }
      }
    }
  } catch {
    // The stream broke (daemon restarting): reconnect below.
  }
  setTimeout(() => follow(Math.min(pause * 2, 10000)), pause);
}

function filterAsYouType() {
  const form = document.getElementById('filters');
  if (!form) return;
  let timer = null;
  const apply = () => {
    const params = new URLSearchParams(new FormData(form));
    for (const [name, value] of [...params]) if (value === '') params.delete(name);
    history.replaceState(null, '', `/${params.size ? `?${params}` : ''}`);
    lastRefresh = 0;
    void refresh();
  };
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    apply();
  });
  form.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(apply, 200);
  });
}

// Up/down move between the jobs' links; "/" jumps to the filter.
function keyboard() {
  document.addEventListener('keydown', (event) => {
    const target = event.target;
    if (event.key === '/' && !(target instanceof HTMLInputElement) && !(target instanceof HTMLSelectElement)) {
      const input = document.querySelector('#filters input');
      if (input) {
        event.preventDefault();
        input.focus();
      }
      return;
    }
    if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
    const links = [...document.querySelectorAll('#rows th a')];
    const at = links.indexOf(target);
    if (at < 0) return;
    event.preventDefault();
    links[Math.max(0, Math.min(links.length - 1, at + (event.key === 'ArrowDown' ? 1 : -1)))].focus();
  });
}

document.addEventListener('click', (event) => {
  const button = event.target.closest?.('button[data-action]');
  if (button && !button.disabled) void act(button);
});
enableActions();
filterAsYouType();
keyboard();
setInterval(updateTimes, 5000);
if (page === 'jobs' || page === 'job') void follow();
