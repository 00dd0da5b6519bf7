import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderDot, renderMermaid } from '../../src/report/graph.js';
import type { ServiceReport } from '../../src/report/model.js';
import { named, probeResult, svc, tcpDep } from '../helpers/services.js';

const tcp = (name: string, port: number) => tcpDep(name, { host: '10.0.0.1', port });
const down = probeResult('down');
const services = [svc('db'), svc('api', [named('db'), tcp('cache', 6379)]), svc('web', [named('api'), tcp('cache', 6379)])];
const states = new Map<string, ServiceReport>([
  ['db', { name: 'db', state: 'gave_up', reason: 'down', liveness: down, deps: [] }],
  [
    'api',
    {
      name: 'api',
      state: 'blocked',
      reason: 'down',
      liveness: down,
      deps: [],
      blockedBy: { name: 'db', target: 'service db', reason: 'it is gave_up' },
    },
  ],
  [
    'web',
    {
      name: 'web',
      state: 'blocked',
      reason: 'down',
      liveness: down,
      deps: [],
      blockedBy: { name: 'api', target: 'service api', reason: 'it is blocked' },
    },
  ],
]);

test('dot: a node per service coloured by state, one node per external dependency, the blocking edges marked', () => {
  const dot = renderDot(services, states);
  assert.match(dot, /^ {2}s0 \[label="db\\nGAVE UP", fillcolor="#fb8072"\];$/m);
  assert.equal(dot.match(/label="cache\\ntcp 10\.0\.0\.1:6379"/g)?.length, 1, 'a shared external dependency is one node');
  assert.match(dot, /^ {2}s1 -> s0 \[color="#e31a1c", penwidth=2\.5, label="blocks"/m);
  assert.match(dot, /^ {2}s2 -> s1 \[color=/m);
  assert.match(dot, /^ {2}s1 -> e3;$/m, 'a dependency that does not block is a plain edge');
});

test('without states (--no-probe) services are white; names cannot break out of their quotes', () => {
  const dot = renderDot([svc('a "b"\\', [named('x\ny')])]);
  assert.match(dot, /label="a \\"b\\"\\\\", fillcolor="#ffffff"/);
  const mermaid = renderMermaid([svc('a "b" <i>#1', [])]);
  assert.match(mermaid, /s0\["a #quot;b#quot; #lt;i#gt;#35;1"\]/);
});

test('mermaid: the same graph, blocking links thick and red', () => {
  const m = renderMermaid(services, states);
  assert.match(m, /^flowchart LR$/m);
  assert.match(m, /^ {2}s1 ==>\|blocks\| s0$/m);
  assert.match(m, /^ {2}e3\(\["cache<br>tcp 10\.0\.0\.1:6379"\]\)$/m);
  assert.match(m, /^ {2}linkStyle 0,2 stroke:#e31a1c,stroke-width:3px$/m);
});
