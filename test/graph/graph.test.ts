import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildEdges, dependencyOrder, findCycles } from '../../src/graph/graph.js';

const edges = (spec: Record<string, string[]>) => new Map(Object.entries(spec));

test('buildEdges keeps only internal dependencies, once each', () => {
  const e = buildEdges([
    {
      name: 'web',
      deps: [
        { name: 'api', internal: true },
        { name: 'cdn', internal: false },
        { name: 'api', internal: true },
      ],
    },
    { name: 'api', deps: [] },
  ]);
  assert.deepEqual(
    [...e],
    [
      ['web', ['api']],
      ['api', []],
    ],
  );
});

test('findCycles prints each cycle as a closed path', () => {
  assert.deepEqual(findCycles(edges({ a: ['b'], b: ['a'] })), [['a', 'b', 'a']]);
  assert.deepEqual(findCycles(edges({ a: ['a'] })), [['a', 'a']]);
  assert.deepEqual(findCycles(edges({ a: ['b'], b: ['c'], c: [] })), []);
  const two = findCycles(edges({ a: ['b'], b: ['a'], c: ['d'], d: ['e'], e: ['c'] }));
  assert.deepEqual(two, [
    ['a', 'b', 'a'],
    ['c', 'd', 'e', 'c'],
  ]);
});

test('findCycles and dependencyOrder survive a chain deeper than the call stack', () => {
  const spec: Record<string, string[]> = {};
  const n = 100_000;
  for (let i = 0; i < n; i++) spec[`s${i}`] = i + 1 < n ? [`s${i + 1}`] : [];
  assert.deepEqual(findCycles(edges(spec)), []);
  const order = dependencyOrder(edges(spec));
  assert.equal(order[0], `s${n - 1}`);
  assert.equal(order[n - 1], 's0');
});

test('dependencyOrder puts every service after its dependencies, roots in file order', () => {
  const order = dependencyOrder(edges({ web: ['api', 'cache'], api: ['db'], db: [], cache: [], lone: [] }));
  assert.deepEqual(order, ['db', 'cache', 'lone', 'api', 'web']);
  for (const [node, deps] of Object.entries({ web: ['api', 'cache'], api: ['db'] })) {
    for (const d of deps) assert.ok(order.indexOf(d) < order.indexOf(node), `${d} before ${node}`);
  }
});

test('dependencyOrder still lists services on a cycle, at the end', () => {
  assert.deepEqual(dependencyOrder(edges({ a: ['b'], b: ['a'], c: [] })), ['c', 'a', 'b']);
});
