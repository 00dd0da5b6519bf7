// The dependency DAG over the services of one config (pure).

/** Edges as adjacency lists: service name -> names of the services it depends on. */
export type Edges = ReadonlyMap<string, readonly string[]>;

/** Builds the edges from the internal dependencies (names that are services of the config). */
export function buildEdges(services: readonly { name: string; deps: readonly { name: string; internal: boolean }[] }[]): Edges {
  const edges = new Map<string, string[]>();
  for (const s of services) {
    edges.set(s.name, [...new Set(s.deps.filter((d) => d.internal).map((d) => d.name))]);
  }
  return edges;
}

/**
 * Every cycle reachable by depth-first search, each as a path that ends where it starts
 * (`['a', 'b', 'a']`). Iterative, so a deep chain cannot overflow the stack.
 */
export function findCycles(edges: Edges): string[][] {
  const WHITE = 0, GREY = 1, BLACK = 2;
  const color = new Map<string, number>();
  const cycles: string[][] = [];
  const seen = new Set<string>();
  for (const root of edges.keys()) {
    if ((color.get(root) ?? WHITE) !== WHITE) continue;
    const path: string[] = [root];
    const next: number[] = [0];
    color.set(root, GREY);
    while (path.length > 0) {
      const node = path[path.length - 1]!;
      const targets = edges.get(node) ?? [];
      const i = next[next.length - 1]!;
      if (i >= targets.length) {
        color.set(node, BLACK);
        path.pop();
        next.pop();
        continue;
      }
      next[next.length - 1] = i + 1;
      const target = targets[i]!;
      const c = color.get(target) ?? WHITE;
      if (c === GREY) {
        const cycle = [...path.slice(path.indexOf(target)), target];
        const key = [...cycle.slice(0, -1)].sort().join('\0');
        if (!seen.has(key)) {
          seen.add(key);
          cycles.push(cycle);
        }
      } else if (c === WHITE && edges.has(target)) {
        color.set(target, GREY);
        path.push(target);
        next.push(0);
      }
    }
  }
  return cycles;
}

/**
 * Services ordered so that every service comes after the services it depends on; ties keep
 * file order where it can. Nodes on a cycle (which validation rejects) are appended at the end.
 */
export function dependencyOrder(edges: Edges): string[] {
  const pending = new Map<string, number>();
  const dependents = new Map<string, string[]>();
  for (const [node, deps] of edges) {
    const known = deps.filter((d) => edges.has(d));
    pending.set(node, known.length);
    for (const d of known) {
      const list = dependents.get(d);
      if (list) list.push(node);
      else dependents.set(d, [node]);
    }
  }
  const order: string[] = [];
  const ready = [...edges.keys()].filter((n) => pending.get(n) === 0);
  for (let i = 0; i < ready.length; i++) {
    const node = ready[i]!;
    order.push(node);
    for (const dependent of dependents.get(node) ?? []) {
      const left = pending.get(dependent)! - 1;
      pending.set(dependent, left);
      if (left === 0) ready.push(dependent);
    }
  }
  if (order.length < edges.size) {
    const placed = new Set(order);
    for (const node of edges.keys()) if (!placed.has(node)) order.push(node);
  }
  return order;
}
