import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/** One import in a module: its specifier as written, whether it is an `import()`, and the file it names (null for a package). */
export interface ImportEdge {
  from: string;
  spec: string;
  dynamic: boolean;
  to: string | null;
}

// `import … from '…'`, `import '…'` and `export … from '…'` at the start of a line; `import type` is erased, so left out.
const STATIC = /^\s*(?:import|export)\s+(?!type\s)(?:[^'";]*?\sfrom\s+)?['"]([^'"]+)['"]/gm;
const DYNAMIC = /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;

/** The imports of one source file, static and dynamic. */
export function importsOf(file: string, fileOf: (spec: string, from: string) => string = (spec, from) => resolve(dirname(from), spec)): ImportEdge[] {
  const text = readFileSync(file, 'utf8');
  const edge = (spec: string, dynamic: boolean): ImportEdge => ({ from: file, spec, dynamic, to: spec.startsWith('.') ? fileOf(spec, file) : null });
  return [
    ...[...text.matchAll(STATIC)].map((m) => edge(m[1]!, false)),
    ...[...text.matchAll(DYNAMIC)].map((m) => edge(m[1]!, true)),
  ];
}

/**
 * Every import edge of the modules reachable from `entries`, going into a module only
 * through the edges `follow` accepts (all by default). `fileOf` maps a relative specifier
 * to a file (for sources, `./x.js` is `./x.ts`).
 */
export function importGraph(
  entries: string[],
  options: { follow?: (edge: ImportEdge) => boolean; fileOf?: (spec: string, from: string) => string } = {},
): ImportEdge[] {
  const seen = new Set<string>();
  const edges: ImportEdge[] = [];
  const walk = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const edge of importsOf(file, options.fileOf)) {
      edges.push(edge);
      if (edge.to !== null && (options.follow?.(edge) ?? true)) walk(edge.to);
    }
  };
  entries.forEach(walk);
  return edges;
}

/** The package an outside specifier names: `pg` for `pg/lib/x.js`, `@scope/name` for `@scope/name/x`; null for relative and `node:` ones. */
export function packageOf(spec: string): string | null {
  if (spec.startsWith('.') || spec.startsWith('node:')) return null;
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}
