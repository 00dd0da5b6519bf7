// `graph` against the built bundle; its DOT drawn by Graphviz itself.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { freePort, runCli } from '../helpers/cli.js';
import { configFixture } from '../helpers/config-fixture.js';
import { missingTool, runTool } from '../helpers/tools.js';

test('graph --format dot renders with dot -Tsvg; mermaid too; --no-probe reads the config alone', async (t) => {
  const fx = configFixture(t);
  const refused = await freePort();
  fx.write({
    db: { pid_file: fx.path('db.pid'), script: `touch ${fx.path('ran')}`, dep: [{ name: 'disk', port: refused }] },
    web: { pid_file: fx.path('web.pid'), script: `touch ${fx.path('ran')}`, dep: [{ name: 'db' }] },
  });
  const args = fx.args();
  const dot = await runCli(['graph', ...args]);
  assert.equal(dot.code, 0, dot.stderr);
  assert.match(dot.stdout, /label="db\\nblocked"/);
  assert.match(dot.stdout, /s0 -> e2 \[color="#e31a1c".*label="blocks"/);
  assert.equal(existsSync(fx.path('ran')), false, 'nothing is run');
  assert.equal(existsSync(fx.path('state', 'state.json')), false, 'nothing is written');

  const bare = await runCli(['graph', '--no-probe', ...args]);
  assert.match(bare.stdout, /label="db", fillcolor="#ffffff"/);
  const mermaid = await runCli(['graph', '--format', 'mermaid', ...args]);
  assert.match(mermaid.stdout, /^flowchart LR\n/);
  assert.match(mermaid.stdout, /s1 ==>\|blocks\| s0/);
  assert.equal((await runCli(['graph', '--format', 'nagios', ...args])).code, 3);

  const missing = missingTool('dot', 'graphviz');
  if (missing) return t.skip(missing);
  const svg = await runTool('dot', ['-Tsvg'], dot.stdout);
  assert.equal(svg.code, 0, svg.stderr);
  assert.equal(svg.stderr, '', 'no warning from Graphviz');
  assert.match(svg.stdout, /<svg /);
  for (const label of ['db', 'web', 'disk', `tcp 127.0.0.1:${refused}`, 'blocks']) assert.ok(svg.stdout.includes(`>${label}</text>`), label);
});
