// `node test/bench/profile-summary.js <file.cpuprofile> [top]`: the functions with the most self
// time in a V8 CPU profile (from `node --cpu-prof`), and the same time summed per source file.
import { readFileSync } from 'node:fs';

/** Self time in ms per profile node id, from the sample list and its time deltas (µs). */
function selfTimes(profile) {
  const self = new Map();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000));
  return self;
}

/** Adds `ms` to `key` in `map`. */
const add = (map, key, ms) => map.set(key, (map.get(key) ?? 0) + ms);

/** Shortens a file URL to the part a reader recognises (dist/…, node_modules/<pkg>/…, node:…). */
function shortUrl(url) {
  if (!url) return '(native)';
  const at = url.search(/\/(dist|node_modules)\//);
  return at >= 0 ? url.slice(at + 1) : url.replace(/^file:\/\//, '');
}

export function summarizeProfile(profile, top = 25) {
  const self = selfTimes(profile);
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const byFunction = new Map();
  const byFile = new Map();
  for (const node of profile.nodes) {
    const ms = self.get(node.id) ?? 0;
    const { functionName, url, lineNumber } = node.callFrame;
    const file = shortUrl(url);
    add(byFunction, `${functionName || '(anonymous)'} ${file}:${lineNumber + 1}`, ms);
    add(byFile, file, ms);
  }
  const list = (map) =>
    [...map.entries()].sort((a, b) => b[1] - a[1]).slice(0, top).map(([name, ms]) => `${ms.toFixed(0).padStart(7)} ms ${((ms / total) * 100).toFixed(1).padStart(5)} %  ${name}`);
  return { totalMs: total, functions: list(byFunction), files: list(byFile) };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const summary = summarizeProfile(JSON.parse(readFileSync(process.argv[2], 'utf8')), Number(process.argv[3] ?? 25));
  console.log(`total sampled: ${summary.totalMs.toFixed(0)} ms\n\nself time by function:\n${summary.functions.join('\n')}`);
  console.log(`\nself time by file:\n${summary.files.join('\n')}`);
}
