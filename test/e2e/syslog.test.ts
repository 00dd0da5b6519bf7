// --syslog and defaults.syslog: each action reaches a real unix datagram socket (socat bound by the test), tagged
// autoheal with a fitting priority, as journald or rsyslog would receive it on /dev/log.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { killPid, waitFor } from '../helpers/util.js';
import { freePort, runCli } from '../helpers/cli.js';
import { configFixture, type ConfigFixture } from '../helpers/config-fixture.js';
import { missingTool } from '../helpers/tools.js';

/**
 * A datagram receiver on `socket` in the fixture's dir, stopped before the dir goes; returns the datagrams received
 * so far, each starting with `<PRI>`.
 */
async function receiver(fx: ConfigFixture): Promise<{ socket: string; received: () => string[] }> {
  const socket = fx.path('log.sock');
  const out = fx.path('received');
  const child = spawn('socat', ['-u', `UNIX-RECV:${socket}`, `CREATE:${out}`], { stdio: 'ignore' });
  fx.defer(() => killPid(child.pid!));
  await waitFor(() => existsSync(socket), 'socat to bind the socket');
  return {
    socket,
    received: () =>
      existsSync(out)
        ? readFileSync(out, 'utf8')
            .split(/(?=<\d+>)/)
            .filter(Boolean)
        : [],
  };
}

test('each action is one line to the system log socket: tag autoheal, our pid, facility daemon, its priority', async (t) => {
  const missing = missingTool('socat', 'socat');
  if (missing) return t.skip(missing);
  const fx = configFixture(t);
  const dir = fx.dir;
  const log = await receiver(fx);
  const port = await freePort();
  const config = fx.write(
    {
      db: { pid_file: `${dir}/db.pid`, script: 'exit 0', start_grace: '1h' },
      bad: { pid_file: `${dir}/bad.pid`, script: 'exit 1' },
      app: { pid_file: `${dir}/app.pid`, dep: [{ name: 'cache', port }], script: 'exit 0' },
    },
    { syslog_socket: log.socket },
  );
  assert.equal((await runCli(['--config', config, '--state-dir', join(dir, 'quiet-state')])).code, 2);
  assert.deepEqual(log.received(), [], 'without --syslog nothing is logged');
  const args = ['--config', config, '--state-dir', join(dir, 'state')];
  await runCli(['--syslog', ...args]);
  const lines = (await waitFor(() => (log.received().length >= 3 ? log.received() : undefined), 'three datagrams'))!;
  const byService = (name: string): string => lines.find((l) => l.includes(`]: ${name} `)) ?? '';
  // <29> daemon.notice, <27> daemon.err, <28> daemon.warning
  assert.match(byService('db'), /^<29>\w{3} [ \d]\d \d\d:\d\d:\d\d autoheal\[\d+\]: db restarted: .*script exited 0/);
  assert.match(byService('bad'), /^<27>.* autoheal\[\d+\]: bad restart_failed: .*script exited 1/);
  assert.match(
    byService('app'),
    new RegExp(`^<28>.* autoheal\\[\\d+\\]: app blocked: .*waiting for cache \\(tcp 127\\.0\\.0\\.1:${port}\\): connection refused$`),
  );
  // The next pass fails bad's restart again (news) while app is still blocked (not news): one more line.
  await runCli(['--syslog', ...args]);
  await waitFor(() => log.received().length >= 4, 'the fourth datagram');
  assert.deepEqual(
    log
      .received()
      .slice(3)
      .map((l) => l.replace(/^.*\]: /, '').split(':')[0]),
    ['bad restart_failed'],
  );

  fx.write({ app: { pid_file: `${dir}/app.pid`, script: 'exit 0' } }, { syslog: true, syslog_socket: log.socket });
  await runCli(args);
  await waitFor(
    () => log.received().some((l) => /^<29>.* autoheal\[\d+\]: app restarted: /.test(l)),
    'daemon.notice for a restart, from defaults.syslog',
  );
});

test('a system log that cannot be reached is a warning; the pass goes on', async (t) => {
  const fx = configFixture(t);
  const dir = fx.dir;
  fx.write({ db: { pid_file: `${dir}/db.pid`, script: 'exit 0' } }, { syslog: true, syslog_socket: `${dir}/nobody.sock` });
  const run = await runCli(fx.args());
  assert.equal(run.code, 1);
  assert.match(run.stdout, /^warning: system log: .*nobody\.sock/m);
});
