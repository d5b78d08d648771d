/** Ids shown on each side of a long cycle: enough to find it, short enough for one log line. */
const SHOWN = 5;

type Graph = ReadonlyMap<string, readonly string[]>;

/**
 * For every job on a cycle, the loop through it as a message shows it
 * (`b → c → a → b`); a long loop is cut in the middle. Linear in the size of
 * the cycles: each loop is the path from the job to its cycle's first job and
 * back, both read off two breadth-first trees, and only the ids shown are walked.
 */
export function describeCycles(graph: Graph, cycles: readonly string[][]): Map<string, string> {
  const texts = new Map<string, string>();
  for (const members of cycles) {
    const trees = treesOf(graph, members);
    for (const id of members) texts.set(id, id === trees.root ? rootLoop(graph, trees) : loopThrough(id, trees));
  }
  return texts;
}

interface Trees {
  root: string;
  /** Next id on the shortest path to the root, and its length. */
  toRoot: Map<string, string>;
  distanceToRoot: Map<string, number>;
  /** Previous id on the shortest path from the root, and its length. */
  fromRoot: Map<string, string>;
  distanceFromRoot: Map<string, number>;
}

function treesOf(graph: Graph, members: readonly string[]): Trees {
  const inside = new Set(members);
  const root = members[0]!;
  const reverse = new Map<string, string[]>();
  for (const id of members) {
    for (const dep of graph.get(id) ?? []) {
      if (!inside.has(dep)) continue;
      const list = reverse.get(dep);
      if (list) list.push(id);
      else reverse.set(dep, [id]);
    }
  }
  const forward = (id: string): readonly string[] => (graph.get(id) ?? []).filter((dep) => inside.has(dep));
  const [fromRoot, distanceFromRoot] = breadthFirst(root, forward);
  const [toRoot, distanceToRoot] = breadthFirst(root, (id) => reverse.get(id) ?? []);
  return { root, toRoot, distanceToRoot, fromRoot, distanceFromRoot };
}

// Iterative, so a loop of any length is walked without recursion.
function breadthFirst(start: string, next: (id: string) => readonly string[]): [Map<string, string>, Map<string, number>] {
  const via = new Map<string, string>();
  const distance = new Map([[start, 0]]);
  const queue = [start];
  for (let i = 0; i < queue.length; i++) {
    const id = queue[i]!;
    for (const other of next(id)) {
      if (distance.has(other)) continue;
      distance.set(other, distance.get(id)! + 1);
      via.set(other, id);
      queue.push(other);
    }
  }
  return [via, distance];
}

// The root's loop: its nearest way back, walked once per cycle.
function rootLoop(graph: Graph, trees: Trees): string {
  const { root, toRoot, distanceToRoot } = trees;
  const first = (graph.get(root) ?? [])
    .filter((dep) => distanceToRoot.has(dep))
    .reduce((best, dep) => (distanceToRoot.get(dep)! < distanceToRoot.get(best)! ? dep : best));
  const ids = [root];
  for (let id = first; ids.length === 1 || ids[ids.length - 1] !== root; id = toRoot.get(id) ?? root) ids.push(id);
  return shown(ids.slice(0, SHOWN + 1), ids.slice(-SHOWN - 1), ids.length - 1);
}

// Out to the root along the first tree, back along the second; only the shown ends are walked.
function loopThrough(id: string, trees: Trees): string {
  const { root, toRoot, fromRoot } = trees;
  const steps = trees.distanceToRoot.get(id)! + trees.distanceFromRoot.get(id)!;
  const head = [id];
  while (head.length <= SHOWN && head[head.length - 1] !== root) head.push(toRoot.get(head[head.length - 1]!)!);
  const tail = [id];
  while (tail.length <= SHOWN && tail[0] !== root) tail.unshift(fromRoot.get(tail[0]!)!);
  return shown(head, tail, steps);
}

// The whole loop when head and tail meet, else both ends around an ellipsis.
function shown(head: string[], tail: string[], steps: number): string {
  if (steps + 1 <= head.length + tail.length) return [...head, ...tail.slice(head.length + tail.length - steps - 1)].join(' → ');
  return `${head.join(' → ')} → … → ${tail.join(' → ')} (${steps} jobs)`;
}
