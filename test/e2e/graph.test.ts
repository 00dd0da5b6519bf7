// `graph` against the built bundle; its DOT drawn by Graphviz itself.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../helpers/util.js';
import { freePort, runCli, writeConfig } from '../helpers/cli.js';
import { missingTool, runTool } from '../helpers/tools.js';

test('graph --format dot renders with dot -Tsvg; mermaid too; --no-probe reads the config alone', async (t) => {
  const { dir } = tempDir(t);
  const refused = await freePort();
  const config = writeConfig(
    dir,
    `db:\n  pid_file: ${dir}/db.pid\n  script: touch ${dir}/ran\n  dep: [{name: disk, port: ${refused}}]\n` +
      `web:\n  pid_file: ${dir}/web.pid\n  script: touch ${dir}/ran\n  dep: [{name: db}]\n`,
  );
  const args = ['--config', config, '--state-dir', join(dir, 'state')];
  const dot = await runCli(['graph', ...args]);
  assert.equal(dot.code, 0, dot.stderr);
  assert.match(dot.stdout, /label="db\\nblocked"/);
  assert.match(dot.stdout, /s0 -> e2 \[color="#e31a1c".*label="blocks"/);
  assert.equal(existsSync(join(dir, 'ran')), false, 'nothing is run');
  assert.equal(existsSync(join(dir, 'state', 'state.json')), false, 'nothing is written');

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
