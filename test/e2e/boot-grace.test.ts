// The boot grace against the built CLI and the real /proc/uptime: inside it nothing is started, past it as usual.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { runCli } from '../helpers/cli.js';
import { configFixture, type ConfigFixture } from '../helpers/config-fixture.js';

const uptimeS = (): number => Number.parseFloat(readFileSync('/proc/uptime', 'utf8'));

/** One dead service whose restart leaves a marker, under the given boot grace. */
const deadWeb = (fx: ConfigFixture, bootGrace: string): string =>
  fx.write({ web: { pid_file: fx.path('web.pid'), script: `touch ${fx.path('ran')}` } }, { boot_grace: bootGrace });

test('inside the boot grace a pass probes and reports but starts nothing: `waiting for boot`, exit 1', async (t) => {
  const fx = configFixture(t);
  // A grace ten minutes longer than this host has been up: the pass is inside it.
  deadWeb(fx, `${Math.ceil(uptimeS()) + 600}s`);
  const run = await runCli(fx.args());
  assert.equal(run.code, 1, run.stdout + run.stderr);
  const left = /^web\s+boot grace\s+pid file .* does not exist; waiting for boot: (\d+) s left$/m.exec(run.stdout);
  assert.ok(left, run.stdout);
  assert.ok(Number(left[1]) > 500 && Number(left[1]) <= 601, `about ten minutes left, said ${left[1]} s`);
  assert.match(run.stdout, /^WARNING: 1 boot grace; 1 service in /m);
  assert.equal(existsSync(fx.path('ran')), false, 'nothing was started');
  const json = JSON.parse((await runCli(fx.args('--json'))).stdout);
  assert.equal(json.services[0].state, 'booting');
  assert.ok(Date.parse(json.services[0].until) > Date.now());
});

test('past the boot grace a pass restarts as usual', async (t) => {
  const fx = configFixture(t);
  deadWeb(fx, '1ms');
  const run = await runCli(fx.args());
  assert.match(run.stdout, /^web\s+restarted/m);
  assert.ok(existsSync(fx.path('ran')));
});

test('a converging run that begins inside the boot grace waits for its end, then restarts', async (t) => {
  const fx = configFixture(t);
  // The grace ends 10 to 11 s from now (a loaded machine may take seconds to start the run), inside a 60 s budget.
  deadWeb(fx, `${Math.ceil(uptimeS()) + 10}s`);
  const run = await runCli(fx.args('--converge', '60', '--json'), process.env, 120_000);
  const doc = JSON.parse(run.stdout);
  const web = doc.services[0];
  assert.equal(web.state, 'restarted', run.stdout);
  assert.ok(web.round.round > 1 && web.round.atMs >= 900, `restarted in round ${web.round.round} at +${web.round.atMs} ms, after the grace`);
  assert.ok(existsSync(fx.path('ran')));
});
