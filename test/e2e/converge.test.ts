// --converge against the built CLI: a chain whose links open their port a second after they start comes back in
// one run, each link started only once its predecessor answers; the budget bounds the run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { stateFileFor } from '../../src/state/store.js';
import { fixture, waitFor } from '../helpers/util.js';
import { autoheal } from '../helpers/command.js';
import { freePort, hangingServer, killServices, runCli, waitForPid } from '../helpers/cli.js';
import { configFixture, type ServiceSpec } from '../helpers/config-fixture.js';

const node = process.execPath;
const names = ['s1', 's2', 's3', 's4', 's5'];

/** A restart script that records whether `needs` answered when it started the fake service, which opens `port` after `delayMs`. */
function script(dir: string, name: string, port: number, needs: number | undefined, delayMs: number): string {
  const wrapper = [node, fixture('bin', 'drill-start.mjs'), '--log', join(dir, 'starts.log'), '--service', name];
  if (needs !== undefined) wrapper.push('--needs', `127.0.0.1:${needs}`);
  return [
    ...wrapper,
    '--background',
    '--',
    node,
    fixture('bin', 'fake-service.mjs'),
    '--pid-file',
    join(dir, `${name}.pid`),
    '--port',
    String(port),
    '--delay-ms',
    String(delayMs),
  ].join(' ');
}

function starts(dir: string): { service: string; needs: { ready: boolean; target: string }[] }[] {
  const path = join(dir, 'starts.log');
  return existsSync(path)
    ? readFileSync(path, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l))
    : [];
}

test('a five-deep chain, each link slow to open its port, comes back in one converging run, in order', async (t) => {
  const fx = configFixture(t);
  const dir = fx.dir;
  // Stops the links the run started.
  fx.defer(() => killServices(dir, names));
  const ports = await Promise.all(names.map(() => freePort()));
  // A healthy service (this test's own pid): probed by the first round only.
  writeFileSync(join(dir, 'self.pid'), `${process.pid}\n`);
  const services: Record<string, ServiceSpec> = { healthy: { pid_file: join(dir, 'self.pid'), script: 'true' } };
  for (const [i, name] of names.entries()) {
    const dep = i === 0 ? undefined : [{ name: names[i - 1]!, host: '127.0.0.1', port: ports[i - 1]! }];
    services[name] = { pid_file: join(dir, `${name}.pid`), dep, script: script(dir, name, ports[i]!, ports[i - 1], 1000) };
  }
  fx.write(services);
  const run = await runCli(fx.args('--converge', '60', '--json'), process.env, 120_000);
  const doc = JSON.parse(run.stdout);
  assert.equal(run.code, 1, run.stdout + run.stderr);
  const byName = new Map(doc.services.map((s: { name: string }) => [s.name, s]));
  const rounds = names.map((n) => byName.get(n) as { state: string; round: { round: number; atMs: number } });
  for (const [i, s] of rounds.entries()) assert.equal(s.state, 'restarted', `${names[i]} restarted in this run`);
  for (let i = 1; i < rounds.length; i += 1) {
    assert.ok(rounds[i]!.round.round > rounds[i - 1]!.round.round, `${names[i]} restarted in a later round than ${names[i - 1]}`);
    assert.ok(rounds[i]!.round.atMs >= rounds[i - 1]!.round.atMs + 900, `${names[i]} waited for ${names[i - 1]} to open its port`);
  }
  const log = starts(dir);
  assert.deepEqual(
    log.map((s) => s.service),
    names,
    'each link started once, in order',
  );
  for (const s of log) for (const need of s.needs) assert.ok(need.ready, `${s.service} started while ${need.target} was closed`);
  // It stops when nothing is left to wait for: the last link restarted, it waits only for that one to come up.
  const last = doc.timeline[doc.timeline.length - 1];
  assert.deepEqual(last.waiting, [], 'the run ended with nothing left to wait for');
  assert.ok(doc.durationMs < 50_000, `ended long before its 60 s budget: ${doc.durationMs} ms`);
  // Rounds after the first probe only what is in flux: never the healthy service, never a settled link.
  for (const round of doc.timeline.slice(1)) assert.ok(round.probed < names.length + 1, `round ${round.round} probed ${round.probed}`);
  assert.equal(doc.timeline[0].probed, names.length + 1);
  // The last link may still be writing its pid file as the run ends: wait, so the cleanup can stop it.
  for (const name of names) await waitForPid(dir, name);
});

test('the budget bounds the run: a dependency that hangs leaves the service blocked when the budget is spent, never later', async (t) => {
  const fx = configFixture(t);
  const dir = fx.dir;
  const hung = await hangingServer();
  fx.defer(hung.close);
  fx.write({
    app: {
      pid_file: join(dir, 'app.pid'),
      dep: [{ name: 'db', url: `http://127.0.0.1:${hung.port}/health`, timeout: '30s' }],
      script: `touch ${join(dir, 'ran')}`,
    },
  });
  const run = await runCli(fx.args('--converge', '2', '--json'));
  const doc = JSON.parse(run.stdout);
  assert.equal(run.code, 2, run.stdout + run.stderr);
  assert.equal(doc.services[0].state, 'blocked');
  assert.equal(existsSync(join(dir, 'ran')), false);
  // Its probe's own timeout is 30 s: the run ends with its 2 s budget. The upper bound only says it did not wait
  // for the probe; a loaded machine adds seconds of writes and start-up after the budget.
  assert.ok(doc.durationMs >= 1900 && doc.durationMs < 20_000, `${doc.durationMs} ms for a 2 s budget`);
  for (const round of doc.timeline) assert.ok(round.atMs < 2000, `round ${round.round} began at +${round.atMs} ms`);
});

test('a name-only dependency restarted in this run is ready once it is alive; a failed restart is not retried in the run', async (t) => {
  const fx = configFixture(t);
  const dir = fx.dir;
  fx.defer(() => killServices(dir, ['db', 'api']));
  const start = (name: string): string => `${node} ${fixture('bin', 'fake-service.mjs')} --pid-file ${dir}/${name}.pid &`;
  fx.write({
    db: { pid_file: `${dir}/db.pid`, script: start('db') },
    api: { pid_file: `${dir}/api.pid`, dep: [{ name: 'db' }], script: start('api') },
    broken: { pid_file: `${dir}/broken.pid`, script: `echo once >> ${dir}/broken-runs; exit 1` },
  });
  const run = await runCli(fx.args('--converge', '30'));
  assert.equal(run.code, 2, run.stdout + run.stderr);
  assert.match(run.stdout, /^db\s+restarted\s+.*; round 1 at \+0 ms$/m);
  assert.match(run.stdout, /^api\s+restarted\s+.*; round [2-9]\d* at \+[\d.]+ m?s$/m);
  assert.match(run.stdout, /^broken\s+FAILED\s+.*script exited 1/m);
  assert.match(run.stdout, /^CRITICAL: 1 failed, 2 restarted; 3 services in .*, \d+ rounds$/m);
  assert.equal(readFileSync(join(dir, 'broken-runs'), 'utf8'), 'once\n', 'the failed restart ran once');
  // api's daemon may still be writing its pid file as the run ends: wait, so the cleanup can stop it.
  for (const name of ['db', 'api']) await waitForPid(dir, name);
});

test('SIGTERM during a converging run: it ends after the round under way and says so; blocked keeps it CRITICAL', async (t) => {
  const fx = configFixture(t);
  const dir = fx.dir;
  // Blocked for good (nothing listens on the port): without the signal the run would wait out its 60 s budget.
  const port = await freePort();
  const config = fx.write({
    app: { pid_file: `${dir}/app.pid`, dep: [{ name: 'db', host: '127.0.0.1', port }], script: `touch ${dir}/ran` },
  });
  const child = spawn(autoheal.file, autoheal.argv(['--config', config, '--state-dir', join(dir, 'state'), '--converge', '60']), {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  child.stdout.on('data', (d) => (stdout += d));
  const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
  // The first round has saved the outage: the run is under way.
  await waitFor(() => existsSync(join(dir, 'state', stateFileFor(config))), 'the first round to save its state', 30_000);
  const signalledAt = Date.now();
  child.kill('SIGTERM');
  const code = await closed;
  // Interrupted is at least UNKNOWN; the blocked service, CRITICAL, outranks it.
  assert.equal(code, 2, stdout);
  assert.match(stdout, /^app\s+blocked\s+.*waiting for db \(tcp 127\.0\.0\.1:\d+\): connection refused/m);
  assert.match(stdout, /interrupted by SIGTERM/);
  assert.ok(Date.now() - signalledAt < 30_000, 'ended long before its budget');
  assert.equal(existsSync(join(dir, 'ran')), false);
});
