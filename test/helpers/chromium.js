// How the tests and the bench start Chromium; plain JavaScript so the bench (node, no build) can import it.

/** Debian's `chromium` package; the README's test command installs it when missing. */
export const CHROMIUM = '/usr/bin/chromium';

// The machine has no network: without these Chromium waits on connections it will never get.
const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync',
];

/** Options for playwright-core's `chromium.launch()`: the system Chromium, headless, offline. */
export function chromiumLaunchOptions() {
  return { executablePath: CHROMIUM, headless: true, args: [...CHROMIUM_ARGS] };
}

/**
 * Page script resolving to `{ firstPaint, firstContentfulPaint }` in ms from navigation (-1 when
 * missing). On a loaded machine the paint entries can come after `goto()` returns: it waits
 * for them, 10 s at most.
 */
export const PAINT_TIMINGS = `new Promise((resolve) => {
  const at = (name) => performance.getEntriesByName(name)[0]?.startTime ?? -1;
  const done = () => resolve({ firstPaint: at('first-paint'), firstContentfulPaint: at('first-contentful-paint') });
  if (at('first-contentful-paint') >= 0) return done();
  new PerformanceObserver(() => at('first-contentful-paint') >= 0 && done()).observe({ type: 'paint', buffered: true });
  setTimeout(done, 10000);
})`;
