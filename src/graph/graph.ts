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
 * One cycle per tangle: for each strongly connected component that loops (more than one service, or one that
 * depends on itself), the shortest cycle through its first service, as a path that ends where it starts
 * (`['a', 'b', 'a']`). Linear in services plus edges, and iterative, so neither a deep chain nor a mesh of
 * thousands of cycles can overflow the stack or take quadratic time.
 */
export function findCycles(edges: Edges): string[][] {
  const position = new Map([...edges.keys()].map((n, i) => [n, i]));
  return stronglyConnected(edges, position)
    .filter((c) => c.length > 1 || (edges.get(c[0]!) ?? []).includes(c[0]!))
    .map((component) => shortestCycle(edges, component))
    .sort((a, b) => position.get(a[0]!)! - position.get(b[0]!)!);
}

// Tarjan's algorithm with an explicit stack. Components come out with their nodes in file order.
function stronglyConnected(edges: Edges, position: ReadonlyMap<string, number>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];
  let next = 0;
  for (const root of edges.keys()) {
    if (index.has(root)) continue;
    const work: { node: string; targets: readonly string[]; i: number }[] = [];
    const enter = (node: string): void => {
      index.set(node, next);
      low.set(node, next++);
      stack.push(node);
      onStack.add(node);
      work.push({ node, targets: edges.get(node) ?? [], i: 0 });
    };
    enter(root);
    while (work.length > 0) {
      const frame = work[work.length - 1]!;
      const node = frame.node;
      if (frame.i < frame.targets.length) {
        const t = frame.targets[frame.i++]!;
        if (!edges.has(t)) continue;
        if (!index.has(t)) enter(t);
        else if (onStack.has(t)) low.set(node, Math.min(low.get(node)!, index.get(t)!));
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.node, Math.min(low.get(parent.node)!, low.get(node)!));
      if (low.get(node) !== index.get(node)) continue;
      const component: string[] = [];
      for (;;) {
        const member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
        if (member === node) break;
      }
      components.push(component.sort((a, b) => position.get(a)! - position.get(b)!));
    }
  }
  return components;
}

// Breadth-first from the component's first node back to itself, staying inside the component.
function shortestCycle(edges: Edges, component: readonly string[]): string[] {
  const inside = new Set(component);
  const start = component[0]!;
  const cameFrom = new Map<string, string>();
  const queue = [start];
  for (let q = 0; q < queue.length; q++) {
    const node = queue[q]!;
    for (const t of edges.get(node) ?? []) {
      if (t === start) {
        const path = [start];
        for (let at = node; at !== start; at = cameFrom.get(at)!) path.push(at);
        return [start, ...path.slice(1).reverse(), start];
      }
      if (inside.has(t) && !cameFrom.has(t)) {
        cameFrom.set(t, node);
        queue.push(t);
      }
    }
  }
  return [start, start];
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
