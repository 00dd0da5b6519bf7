// The shipped alert rules: valid for Prometheus, and their unit tests pass (promtool from Debian's prometheus).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { repoRoot } from '../helpers/util.js';
import { missingTool, runTool } from '../helpers/tools.js';

const dir = join(repoRoot, 'packaging', 'prometheus');

test('promtool check rules: packaging/prometheus/autoheal.rules.yml is valid', async (t) => {
  const missing = missingTool('promtool', 'prometheus');
  if (missing) return t.skip(missing);
  const run = await runTool('promtool', ['check', 'rules', join(dir, 'autoheal.rules.yml')]);
  assert.equal(run.code, 0, run.stdout + run.stderr);
  assert.match(run.stdout, /SUCCESS: 6 rules found/);
});

test('promtool test rules: blocked naming its dependency, gave up, restart failed, UNKNOWN, not running, host down', async (t) => {
  const missing = missingTool('promtool', 'prometheus');
  if (missing) return t.skip(missing);
  const run = await runTool('promtool', ['test', 'rules', join(dir, 'autoheal.rules.test.yml')]);
  assert.equal(run.code, 0, run.stdout + run.stderr);
  assert.match(run.stdout, /SUCCESS/);
});
