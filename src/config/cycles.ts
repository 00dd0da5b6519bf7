// Dependency cycles, reported where they close: a cycle can never heal, since each member waits for the next.
import { buildEdges, findCycles } from '../graph/graph.js';
import type { WalkContext } from './context.js';
import { echo } from './found.js';
import type { Edge } from './services.js';

/** Names a cycle is shown with; a longer one is cut in the middle of the list. */
const MAX_CYCLE_NAMES = 12;

/** Reports each cycle among `names` once, at the dep entry that closes it (`a -> b -> a`, or `a -> a`). */
export function reportCycles(names: readonly string[], edges: readonly Edge[], ctx: WalkContext): void {
  const byService = new Map<string, { name: string; internal: boolean }[]>(names.map((n) => [n, []]));
  const firstEdge = new Map<string, Edge>();
  for (const e of edges) {
    byService.get(e.from)?.push({ name: e.to, internal: true });
    const key = `${e.from}\0${e.to}`;
    if (!firstEdge.has(key)) firstEdge.set(key, e);
  }
  const graph = buildEdges([...byService].map(([name, deps]) => ({ name, deps })));
  for (const cycle of findCycles(graph)) {
    const closing = firstEdge.get(`${cycle[cycle.length - 2]!}\0${cycle[cycle.length - 1]!}`);
    if (closing) ctx.report(closing.node, closing.path, `expected no dependency cycle, found ${describeCycle(cycle)}`);
  }
}

/** `a -> b -> a`, each name cut, and a long cycle shown by its first names and how many more. */
function describeCycle(cycle: readonly string[]): string {
  if (cycle.length <= MAX_CYCLE_NAMES) return cycle.map(echo).join(' -> ');
  const more = cycle.length - MAX_CYCLE_NAMES;
  return [...cycle.slice(0, MAX_CYCLE_NAMES - 1).map(echo), `... (${more} more)`, echo(cycle[cycle.length - 1]!)].join(' -> ');
}
