// The one table the bench prints: figure | jobd | peer(s)/raw | ratio | target | pass/fail.

const COLUMNS = ['figure', 'jobd', 'peer(s)/raw', 'ratio', 'target', 'pass/fail'];

/** A table row; `pass` is true, false, or null (an informational figure without a target). */
export function row(figure, { jobd = '—', peers = '—', ratio = '—', target = '—', pass = null } = {}) {
  return { figure, jobd, peers, ratio, target, pass };
}

/** Formats milliseconds for the table. */
export function ms(value, digits = 1) {
  return Number.isFinite(value) ? `${value.toFixed(digits)} ms` : 'n/a';
}

/** Formats a ratio a/b for the table. */
export function ratio(a, b) {
  return Number.isFinite(a) && Number.isFinite(b) && b !== 0 ? `${(a / b).toFixed(2)}×` : 'n/a';
}

/** The rows as a Markdown table (what is printed and pasted into RESULTS.md). */
export function formatTable(rows) {
  const cells = rows.map((r) => [r.figure, r.jobd, r.peers, r.ratio, r.target, r.pass === null ? '' : r.pass ? 'pass' : 'FAIL']);
  const widths = COLUMNS.map((c, i) => Math.max(c.length, ...cells.map((line) => String(line[i]).length)));
  const line = (values) => `| ${values.map((v, i) => String(v).padEnd(widths[i])).join(' | ')} |`;
  return [line(COLUMNS), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
}
