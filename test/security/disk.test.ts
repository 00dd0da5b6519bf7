// A full or read-only state disk never stops the healing: restart logs are capped, and when the state cannot be
// saved the pass still restarts what is dead (within the limits it read), says so, and exits CRITICAL.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixture, isAlive, killPid, waitFor } from '../helpers/util.js';
import { runCli } from '../helpers/cli.js';
import { configFixture } from '../helpers/config-fixture.js';
import { mount, needsRoot, unmount } from './support.js';

/** The fake service as a restart script starts it: in the background, output discarded. */
function startWeb(dir: string): string {
  return `${process.execPath} ${fixture('bin', 'fake-service.mjs')} --name web --pid-file ${dir}/web.pid >/dev/null 2>&1 &`;
}

/** The live pid in `<dir>/web.pid` other than `old`, once there is one. */
function waitForNewPid(dir: string, old: number | undefined): Promise<number> {
  return waitFor(
    () => {
      try {
        const pid = Number(readFileSync(join(dir, 'web.pid'), 'utf8'));
        return pid > 0 && pid !== old && isAlive(pid) ? pid : 0;
      } catch {
        return 0;
      }
    },
    'web to be started',
    20_000,
  );
}

async function startWebNow(dir: string): Promise<number> {
  const child = spawn('/bin/sh', ['-c', startWeb(dir)], { stdio: 'ignore' });
  await new Promise((r) => child.on('close', r));
  return waitForNewPid(dir, undefined);
}

test('a noisy script fills a 2 MB state disk: another dead service is still restarted, and the report says the state was not saved', {
  skip: needsRoot,
}, async (t) => {
  const fx = configFixture(t, { shared: true });
  const dir = fx.dir;
  const state = fx.state;
  mkdirSync(state, { mode: 0o700 });
  const refused = mount(['-t', 'tmpfs', '-o', 'size=2m,mode=0700', 'tmpfs', state]);
  if (refused) {
    t.skip(refused);
    return;
  }
  fx.defer(() => unmount(state));
  let web: number | undefined;
  fx.defer(() => web && killPid(web));
  fx.write({
    noisy: { pid_file: `${dir}/noisy.pid`, script: 'head -c 3000000 /dev/zero', start_grace: '1ms', max_restarts: 100 },
    web: { pid_file: `${dir}/web.pid`, script: startWeb(dir), start_grace: '1ms' },
  });
  const args = fx.args();
  web = await startWebNow(dir);
  const first = await runCli(args);
  assert.notEqual(first.code, 0, first.stdout + first.stderr);
  await killPid(web);
  const old = web;
  const second = await runCli(args);
  assert.equal(second.code, 2, `a state that could not be saved is CRITICAL:\n${second.stdout}${second.stderr}`);
  assert.match(second.stdout, /^web\s+restarted\s/m, second.stdout);
  web = await waitForNewPid(dir, old);
  assert.match(second.stdout, /warning: .*(state|saved)/i, second.stdout);
  assert.match(second.stdout, /output discarded|no space/i, 'the report says the log could not be written');
});

test('a read-only state directory: the dead service is still restarted, one given up stays given up, exit 2 says why', {
  skip: needsRoot,
}, async (t) => {
  const fx = configFixture(t, { shared: true });
  const dir = fx.dir;
  const state = fx.state;
  mkdirSync(state, { mode: 0o700 });
  let web: number | undefined;
  let mounted = false;
  fx.defer(() => mounted && unmount(state));
  fx.defer(() => web && killPid(web));
  fx.write({
    flappy: {
      pid_file: `${dir}/flappy.pid`,
      script: `touch ${dir}/flappy-ran`,
      max_restarts: 1,
      backoff: '1h',
      backoff_max: '1h',
      start_grace: '1ms',
    },
    web: { pid_file: `${dir}/web.pid`, script: startWeb(dir), start_grace: '1ms' },
  });
  const args = fx.args();
  web = await startWebNow(dir);
  // flappy is restarted once (its limit), then given up for an hour; that history is saved.
  assert.equal((await runCli(args)).code, 1);
  const gaveUp = await runCli(args);
  assert.match(gaveUp.stdout, /^flappy\s+GAVE UP/m, gaveUp.stdout);
  const refused = mount(['--bind', state, state]);
  if (refused) return t.skip(refused);
  mounted = true;
  assert.equal(mount(['-o', 'remount,bind,ro', state]), undefined);
  await killPid(web);
  const old = web;
  writeFileSync(join(dir, 'flappy-ran'), '');
  // --verbose: without a terminal a pass prints only what changed, and this GAVE UP was told by the pass before.
  const run = await runCli([...args, '--verbose']);
  assert.equal(run.code, 2, run.stdout + run.stderr);
  assert.match(run.stdout, /^web\s+restarted\s/m, run.stdout);
  web = await waitForNewPid(dir, old);
  assert.match(run.stdout, /^flappy\s+GAVE UP/m, 'the limits read from the state still apply');
  assert.match(run.stdout, /warning: .*read-only/i, run.stdout);
  assert.equal(statSync(join(dir, 'flappy-ran')).size, 0);
});

test('restart logs are capped by defaults.log_max_size: rotated once, the oldest part dropped', async (t) => {
  const fx = configFixture(t);
  const dir = fx.dir;
  fx.write(
    { noisy: { pid_file: `${dir}/noisy.pid`, script: "head -c 3000 /dev/zero | tr '\\\\0' x", start_grace: '1ms', max_restarts: 100 } },
    { log_max_size: '4KiB' },
  );
  const logs = join(dir, 'state', 'logs');
  for (let i = 0; i < 8; i++) {
    const run = await runCli(fx.args());
    assert.equal(run.code, 1, run.stdout + run.stderr);
  }
  const files = readdirSync(logs).sort();
  assert.deepEqual(files, ['noisy.log', 'noisy.log.1']);
  const oneRun = 3000 + 200; // the output plus its header line
  for (const name of files) assert.ok(statSync(join(logs, name)).size <= 4096 + oneRun, `${name}: ${statSync(join(logs, name)).size} bytes`);
  assert.ok(existsSync(join(logs, 'noisy.log')));
});
