import { readFile } from 'node:fs/promises';

/**
 * Reads files of `start <ms>` / `end <ms>` lines written by commands themselves and
 * returns how many marks there are and the most commands alive at one instant.
 */
export async function mostAliveAtOnce(files: string[]): Promise<{ marks: number; most: number }> {
  const marks: Array<[number, number]> = [];
  for (const file of files) {
    const text = await readFile(file, 'utf8');
    for (const [, kind, time] of text.matchAll(/(start|end) (\d+)/g)) marks.push([Number(time), kind === 'start' ? 1 : -1]);
  }
  // At equal times an end counts before a start: the two did not overlap.
  marks.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let alive = 0;
  let most = 0;
  for (const [, delta] of marks) most = Math.max(most, (alive += delta));
  return { marks: marks.length, most };
}
