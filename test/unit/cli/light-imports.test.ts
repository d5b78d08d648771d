import { readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = resolve(import.meta.dirname, '../../../src');
const HEAVY = ['croner', 'zod', 'pino', 'execa', 'chokidar', 'pg', 'prom-client'];

// Every outside package reached from `file` through static imports (type-only imports are erased), with the path that reaches it.
function staticPackages(file: string): Map<string, string[]> {
  const found = new Map<string, string[]>();
  const seen = new Set<string>();
  const walk = (at: string, chain: string[]): void => {
    if (seen.has(at)) return;
    seen.add(at);
    for (const match of readFileSync(at, 'utf8').matchAll(/^import\s+(?!type\s)[^'"]*?from\s+['"]([^'"]+)['"]/gm)) {
      const spec = match[1]!;
      if (spec.startsWith('.')) {
        const next = resolve(dirname(at), spec.replace(/\.js$/, '.ts'));
        walk(next, [...chain, relative(SRC, next)]);
      } else if (!spec.startsWith('node:') && !found.has(spec)) found.set(spec, chain);
    }
  };
  walk(file, [relative(SRC, file)]);
  return found;
}

describe('what the CLI loads before a command runs', () => {
  it('issue 13: cli/main.ts reaches none of the daemon libraries through static imports, so status, logs and run start fast', () => {
    const reached = staticPackages(resolve(SRC, 'cli/main.ts'));
    const heavy = HEAVY.filter((name) => reached.has(name)).map((name) => `${name} <- ${reached.get(name)!.join(' > ')}`);
    expect(heavy).toEqual([]);
    expect(reached.has('commander')).toBe(true);
  });
});
