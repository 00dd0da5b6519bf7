// pause, resume, reset and status against the built bundle: real state directory, real lock, real restarts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { acquireLock } from '../../src/state/lock.js';
import { waitFor } from '../helpers/util.js';
import { autoheal } from '../helpers/command.js';
import { runCli } from '../helpers/cli.js';
import { configFixture, type ServiceSpec } from '../helpers/config-fixture.js';

const runs = (dir: string, name: string): number =>
  existsSync(join(dir, `ran-${name}`)) ? readFileSync(join(dir, `ran-${name}`), 'utf8').length : 0;
/** Services that are down and whose scripts only count their runs (one byte each), then run `then` (to fail). */
const dead = (dir: string, names: readonly string[], then = '', keys: ServiceSpec = {}): Record<string, ServiceSpec> =>
  Object.fromEntries(names.map((name) => [name, { pid_file: `${dir}/${name}.pid`, script: `printf x >> ${dir}/ran-${name}${then}`, ...keys }]));

test('pause: probed and reported as paused with who and why, never restarted; resume: restarted at the next pass', async (t) => {
  const fx = configFixture(t);
  const dir = fx.dir;
  fx.write(dead(dir, ['db', 'web']));
  const args = fx.args();
  const env = { ...process.env, SUDO_USER: 'alice' };
  const paused = await runCli(['pause', 'db', '--reason', 'disk swap', ...args], env);
  assert.equal(paused.code, 0, paused.stderr);
  assert.match(paused.stdout, /^db: paused until resumed; probed and reported, never started or stopped$/m);

  const pass = await runCli([...args, '--json']);
  const db = JSON.parse(pass.stdout).services.find((s: { name: string }) => s.name === 'db');
  assert.equal(db.state, 'paused');
  assert.deepEqual([db.pause.by, db.pause.reason, db.pause.until], ['alice', 'disk swap', undefined]);
  assert.equal(runs(dir, 'db'), 0, 'a paused service is not restarted');
  assert.equal(runs(dir, 'web'), 1, 'the others are healed as usual');

  const text = await runCli([...args, '--verbose']);
  assert.match(text.stdout, /^db +paused +.*paused by alice until resumed: disk swap; not started or stopped$/m);

  const status = await runCli(['status', '--json', ...args]);
  assert.equal(status.code, 0, status.stderr);
  const st = JSON.parse(status.stdout).services.find((s: { name: string }) => s.name === 'db');
  assert.equal(st.state, 'paused');
  assert.equal(st.pause.by, 'alice');

  assert.equal((await runCli(['resume', 'db', ...args])).code, 0);
  await runCli(args);
  assert.equal(runs(dir, 'db'), 1, 'resumed: restarted');
});

test('pause --for ends by itself; pause --all pauses every service', async (t) => {
  const fx = configFixture(t);
  const dir = fx.dir;
  fx.write(dead(dir, ['db', 'web']));
  const args = fx.args();
  assert.equal((await runCli(['pause', '--all', '--for', '1h', ...args])).code, 0);
  const all = await runCli([...args, '--json']);
  assert.deepEqual(
    JSON.parse(all.stdout).services.map((s: { state: string }) => s.state),
    ['paused', 'paused'],
  );
  assert.equal(all.code, 0, 'maintenance does not page');

  assert.equal((await runCli(['pause', 'db', '--for', '1s', ...args])).code, 0);
  await waitFor(async () => (await runCli(args), runs(dir, 'db') === 1), 'the 1 s pause to end and a pass to restart db', 20_000, 200);
  assert.equal(runs(dir, 'web'), 0, 'web is still paused for an hour');
});

test('a name that is not a service: exit 3 with a did-you-mean, and nothing changed', async (t) => {
  const fx = configFixture(t);
  const dir = fx.dir;
  fx.write(dead(dir, ['database', 'web']));
  const args = fx.args();
  const bad = await runCli(['pause', 'web', 'databse', ...args]);
  assert.equal(bad.code, 3);
  assert.match(bad.stderr, /pause: no service "databse" in the config: did you mean "database"\?; nothing was changed/);
  assert.deepEqual(existsSync(join(dir, 'state')) ? readdirSync(join(dir, 'state')).filter((n) => n.startsWith('state.')) : [], []);
  const none = await runCli(['reset', 'zzz', ...args]);
  assert.equal(none.code, 3);
  assert.match(none.stderr, /no service "zzz" in the config; its services: database, web/);
  assert.equal((await runCli(['pause', ...args])).code, 3, 'no name and no --all');
});

test('reset clears GAVE UP at once: the next pass restarts it', async (t) => {
  const fx = configFixture(t);
  const dir = fx.dir;
  fx.write(dead(dir, ['db'], '; exit 1', { max_restarts: 1, backoff: '1h' }));
  const args = fx.args();
  assert.equal((await runCli(args)).code, 2, 'restart failed');
  const gaveUp = await runCli(args);
  assert.match(gaveUp.stdout, /^db +GAVE UP/m);
  const status = await runCli(['status', ...args]);
  assert.match(status.stdout, /^db +GAVE UP +.*last restart .* failed; \d\/1 restarts in 5m; backoff (59m|1h)/m);
  assert.equal(runs(dir, 'db'), 1);
  const reset = await runCli(['reset', 'db', ...args]);
  assert.equal(reset.code, 0, reset.stderr);
  await runCli(args);
  assert.equal(runs(dir, 'db'), 2, 'tried again at once');
});

test('pause waits for a running pass: it takes the same lock', async (t) => {
  const fx = configFixture(t);
  const stateDir = fx.state;
  const config = fx.write(dead(fx.dir, ['db']));
  const lock = await acquireLock(stateDir);
  assert.ok(lock);
  let released = false;
  const child = spawn(autoheal.file, autoheal.argv(['pause', 'db', '--config', config, '--state-dir', stateDir]), { stdio: 'ignore' });
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  let earlyExit: number | null | undefined;
  void exited.then((code) => {
    if (!released) earlyExit = code;
  });
  // While the lock is held the pause must not land, however long we look.
  const stateFiles = (): string[] => (existsSync(stateDir) ? readdirSync(stateDir).filter((n) => /^state\..*json$/.test(n)) : []);
  for (let i = 0; i < 20; i++) {
    await new Promise((r) => setTimeout(r, 25));
    assert.deepEqual(stateFiles(), [], 'nothing written under a held lock');
  }
  assert.equal(earlyExit, undefined, 'pause did not give up while the pass ran');
  released = true;
  await lock!.release();
  assert.equal(await exited, 0);
  assert.ok(JSON.parse(readFileSync(join(stateDir, stateFiles()[0]!), 'utf8')).services.db.pause);
});
