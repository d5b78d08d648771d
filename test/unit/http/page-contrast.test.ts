import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// WCAG 2.1 AA read off the shipped stylesheet: text 4.5:1 against what it sits on (1.4.3),
// control edges, the focus ring and chart marks 3:1 (1.4.11), in the light and the dark scheme.

const CSS = readFileSync(fileURLToPath(new URL('../../../assets/page.css', import.meta.url)), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '');
const TEXT = 4.5;
const NON_TEXT = 3;
/** The two backgrounds a rule without its own sits on: the page, and the header strip, table head and pre. */
const SURFACES = ['bg', 'head'];

interface Rule {
  selector: string;
  /** The `@media` query around the rule, or '' at the top level. */
  media: string;
  declarations: Map<string, string>;
}

// A rule sits in the @media block opened before it and not closed since.
function mediaAt(index: number): string {
  const open = CSS.lastIndexOf('@media', index);
  if (open < 0 || CSS.slice(open, index).includes('}')) return '';
  return CSS.slice(open, CSS.indexOf('{', open)).trim();
}

const rules: Rule[] = [...CSS.matchAll(/([^{}]+)\{([^{}]*)\}/g)].map((m) => ({
  selector: m[1]!.trim(),
  media: mediaAt(m.index),
  declarations: new Map(m[2]!.split(';').filter((d) => d.includes(':')).map((d) => {
    const at = d.indexOf(':');
    return [d.slice(0, at).trim(), d.slice(at + 1).trim()] as [string, string];
  })),
}));

function variables(media: string): Record<string, string> {
  const rule = rules.find((r) => r.selector === ':root' && r.media === media);
  if (!rule) throw new Error(`no :root block in page.css${media ? ` inside ${media}` : ''}`);
  return Object.fromEntries([...rule.declarations].filter(([name]) => name.startsWith('--')).map(([name, value]) => [name.slice(2), value]));
}

const light = variables('');
const dark = variables('@media (prefers-color-scheme: dark)');
const SCHEMES: Array<[string, Record<string, string>]> = [['light', light], ['dark', { ...light, ...dark }]];

function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((c) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

function contrast(a: string, b: string): number {
  const [high, low] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (high! + 0.05) / (low! + 0.05);
}

/** The custom property a value names (`1px solid var(--edge)` → `edge`), or null. */
const varIn = (value: string | undefined): string | null => (value === undefined ? null : /var\(--([\w-]+)\)/.exec(value)?.[1] ?? null);

interface Pair {
  what: string;
  fore: string;
  back: string;
  min: number;
}

// Every colour the stylesheet paints text, control edges, focus rings and chart marks with, against what lies beneath.
function pairs(): Pair[] {
  const found: Pair[] = [];
  for (const { selector, declarations } of rules.filter((r) => r.selector !== ':root')) {
    const own = varIn(declarations.get('background'));
    const backs = own ? [own] : SURFACES;
    const color = varIn(declarations.get('color'));
    if (color) for (const back of backs) found.push({ what: `${selector} text`, fore: color, back, min: TEXT });
    const fill = varIn(declarations.get('fill'));
    if (fill) found.push({ what: `${selector} chart mark`, fore: fill, back: 'head', min: NON_TEXT });
    const outline = varIn(declarations.get('outline'));
    if (outline) for (const back of SURFACES) found.push({ what: `${selector} focus ring`, fore: outline, back, min: NON_TEXT });
    const edge = varIn(declarations.get('border') ?? declarations.get('border-color'));
    if (edge && /\b(input|select|button)\b/.test(selector)) found.push({ what: `${selector} control edge`, fore: edge, back: 'bg', min: NON_TEXT });
  }
  return found;
}

describe('issue 15: the status page\'s colours pass WCAG AA', () => {
  it('both schemes define the same colours, as #rrggbb', () => {
    expect(Object.keys(dark).sort()).toEqual(Object.keys(light).sort());
    for (const value of [...Object.values(light), ...Object.values(dark)]) expect(value).toMatch(/^#[0-9a-f]{6}$/i);
  });

  it('finds the pairs the page paints: body text, links, muted text, badges, controls, focus ring, chart marks', () => {
    const seen = pairs().map((p) => `${p.fore} on ${p.back}`);
    for (const pair of ['fg on bg', 'link on bg', 'muted on bg', 'muted on head', 'failed-fg on head', 'ok-fg on ok-bg', 'failed-fg on failed-bg',
      'timeout-fg on timeout-bg', 'cancelled-fg on cancelled-bg', 'interrupted-fg on interrupted-bg', 'skipped-fg on skipped-bg',
      'running-fg on running-bg', 'edge on bg', 'link on bg', 'focus on head', 't-ok on head', 't-other on head']) {
      expect(seen).toContain(pair);
    }
  });

  it.each(SCHEMES)('in the %s scheme, text is 4.5:1 and control edges, the focus ring and chart marks 3:1 against their backgrounds', (_, colours) => {
    const failing = pairs()
      .map((p) => ({ ...p, ratio: contrast(colours[p.fore]!, colours[p.back]!) }))
      .filter((p) => !(p.ratio >= p.min))
      .map((p) => `${p.what}: --${p.fore} on --${p.back} is ${p.ratio.toFixed(2)}:1, needs ${p.min}:1`);
    expect(failing).toEqual([]);
  });

  it('the contrast arithmetic matches WCAG\'s own examples', () => {
    expect(contrast('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrast('#767676', '#ffffff')).toBeCloseTo(4.54, 2);
    expect(contrast('#ffffff', '#ffffff')).toBe(1);
  });
});
