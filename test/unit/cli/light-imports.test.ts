import { dirname, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importGraph, packageOf } from '../../helpers/import-graph.js';

const SRC = resolve(import.meta.dirname, '../../../src');
const HEAVY = ['croner', 'zod', 'pino', 'execa', 'chokidar', 'pg', 'prom-client'];

// Every outside package reached from `file` through static imports (type-only imports are erased), with the module importing it.
function staticPackages(file: string): Map<string, string> {
  const edges = importGraph([file], { follow: (edge) => !edge.dynamic, fileOf: (spec, from) => resolve(dirname(from), spec.replace(/\.js$/, '.ts')) });
  const found = new Map<string, string>();
  for (const edge of edges) {
    const name = packageOf(edge.spec);
    if (name !== null && !edge.dynamic && !found.has(name)) found.set(name, relative(SRC, edge.from));
  }
  return found;
}

describe('what the CLI loads before a command runs', () => {
  it('issue 13: cli/main.ts reaches none of the daemon libraries through static imports, so status, logs and run start fast', () => {
    const reached = staticPackages(resolve(SRC, 'cli/main.ts'));
    const heavy = HEAVY.filter((name) => reached.has(name)).map((name) => `${name} <- ${reached.get(name)!}`);
    expect(heavy).toEqual([]);
    expect(reached.has('commander')).toBe(true);
  });
});
