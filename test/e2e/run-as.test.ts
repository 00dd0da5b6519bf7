// The built CLI with user/group: validate names an unknown account at file:line:col with a did-you-mean; a pass
// that is not root refuses to switch users for that service only, and says why; as root, command probes run as
// the service's user, in its cwd, with its env.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chownSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { configFixture } from '../helpers/config-fixture.js';
import { killPid, startChild } from '../helpers/util.js';
import { copyCommand } from '../helpers/command.js';
import { createAttacker, needsRoot } from '../security/support.js';

test('validate: an unknown user is a config error at its place, with the closest local account', async (t) => {
  const fx = configFixture(t);
  // Exact text: the error names line 4, column 9.
  const config = fx.writeText('a:\n  pname: a\n  script: /bin/true\n  user: roo\n');
  const run = await runCli(['validate', '--config', config]);
  assert.equal(run.code, 3);
  assert.equal(
    run.stderr,
    `autoheal-once: 1 problem in the config; nothing was probed or run:\n${config}:4:9: a.user: expected a user of this host, found \`roo\`, which is not in the password database: did you mean \`root\`?\n`,
  );
});

test('not root: a service with `user` fails its restart with the reason; the others are healed', {
  skip: process.getuid?.() !== 0 && 'needs root to run the pass as nobody',
}, async (t) => {
  const fx = configFixture(t, { shared: true });
  const dir = fx.dir;
  const config = fx.write({
    a: { pid_file: `${dir}/a.pid`, user: 'root', script: `touch ${dir}/a.ran` },
    b: { pid_file: `${dir}/b.pid`, script: `touch ${dir}/b.ran` },
  });
  // A copy nobody can read, wherever the checkout is (CI's may sit under a directory only root can enter).
  const copy = copyCommand(dir);
  chownSync(dir, 65534, 65534);
  chownSync(config, 65534, 65534);
  const run = await new Promise<{ code: number | null; out: string }>((resolve, reject) => {
    const child = spawn(copy.file, copy.argv(['--config', config, '--state-dir', join(dir, 'state')]), {
      uid: 65534,
      gid: 65534,
      env: { PATH: '/usr/bin:/bin', HOME: dir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out }));
  });
  assert.equal(run.code, 2, run.out);
  assert.match(
    run.out,
    /^a +FAILED .*could not run the script: cannot run it as user `root`: autoheal-once runs as uid 65534, and only root can switch users/m,
  );
  assert.match(run.out, /^b +restarted /m);
  assert.ok(!existsSync(join(dir, 'a.ran')), 'a did not run, as anyone');
  assert.ok(existsSync(join(dir, 'b.ran')));
});

test("as root, a service's command check and command dependency run as its user, cwd and env; the same command for another service runs as root", {
  skip: needsRoot,
}, async (t) => {
  const fx = configFixture(t, { shared: true });
  const dir = fx.dir;
  const user = createAttacker();
  fx.defer(() => user.remove());
  const sleeper = startChild('sleep', ['600']);
  fx.defer(() => killPid(sleeper.pid!));
  writeFileSync(join(dir, 'app.pid'), `${sleeper.pid}\n`);
  // True only when run as the user, in `dir`, with FOO=bar: as root, or anywhere else, it fails and says why.
  const asUser = `[ "$(id -un)" = ${user.name} ] && [ "$(pwd)" = ${dir} ] && [ "$FOO" = bar ] || { echo "ran as $(id -un) in $(pwd)"; exit 1; }`;
  const asTheUser = { user: user.name, cwd: dir, env: { FOO: 'bar' } };
  fx.write({
    app: { pid_file: `${dir}/app.pid`, script: 'true', ...asTheUser, check: { command: asUser }, failures: 1 },
    worker: { pid_file: `${dir}/worker.pid`, script: 'true', ...asTheUser, dep: [{ name: 'queue', command: asUser }] },
    'root-worker': { pid_file: `${dir}/root-worker.pid`, script: 'true', dep: [{ name: 'queue', command: asUser }] },
  });
  const run = await runCli(fx.args('--verbose'));
  assert.equal(run.code, 2, run.stdout + run.stderr);
  assert.match(run.stdout, /^app +healthy /m);
  assert.match(run.stdout, /^worker +restarted /m);
  assert.match(run.stdout, /^root-worker +blocked .*waiting for queue .*ran as root in \/$/m);
});
