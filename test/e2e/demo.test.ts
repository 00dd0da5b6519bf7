// The README's first command ends in this demo: it must heal, in dependency order, and clean up after itself.
// Bounds: a hang detector only. The demo takes about 7 s on an idle machine and gives each heal 60 s itself.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from '../helpers/util.js';
import { autoheal } from '../helpers/command.js';

test('the demo heals db, then api, then web, after a cold start, after a crash, in one converging run after a power cut, and an app running broken once its store answers', {
  skip: autoheal.kind === 'binary' && 'scripts/demo.mjs runs the bundle whatever AUTOHEAL_TEST_COMMAND says; the run with the bundle covers it',
  timeout: 300_000,
}, () => {
  const run = spawnSync(process.execPath, [join(repoRoot, 'scripts', 'demo.mjs')], { encoding: 'utf8', timeout: 280_000 });
  assert.equal(run.status, 0, run.stdout + run.stderr);
  const order = [...run.stdout.matchAll(/^(db|api|web)\s+restarted/gm)].map((m) => m[1]);
  assert.deepEqual(order, ['db', 'api', 'web', 'db', 'api', 'db', 'api', 'web']);
  const converged = run.stdout.slice(run.stdout.indexOf('3. Power cut again'));
  const rounds = [...converged.matchAll(/^(db|api|web)\s+restarted\s.*; round (\d+) at /gm)].map((m) => Number(m[2]));
  assert.equal(rounds.length, 3, 'one run restarted all three');
  assert.ok(rounds[0]! < rounds[1]! && rounds[1]! < rounds[2]!, `each in a later round than its dependency: ${rounds.join(', ')}`);
  // The app that came up before its store: blamed on the store while it is down, restarted once it answers.
  const broken = run.stdout.slice(run.stdout.indexOf('4. Alive but broken'));
  assert.match(broken, /^app\s+blocked\s+check failed: HTTP 503; waiting for store \(tcp 127\.0\.0\.1:\d+\)/m);
  assert.match(broken, /^app\s+restarted\s+dependency store recovered; stopped \(SIGTERM\)/m);
  assert.match(run.stdout, /Demo services stopped; temp dir removed\.$/m);
});
