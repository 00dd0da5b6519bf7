// --syslog and defaults.syslog: each action reaches a real unix datagram socket (socat bound by the test), tagged
// autoheal with a fitting priority, as journald or rsyslog would receive it on /dev/log.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { killPid, tempDir, waitFor } from '../helpers/util.js';
import { freePort, runCli, writeConfig } from '../helpers/cli.js';
import { missingTool } from '../helpers/tools.js';

/** A datagram receiver on `socket`; returns the datagrams received so far, each starting with `<PRI>`. */
async function receiver(t: TestContext, dir: string): Promise<{ socket: string; received: () => string[] }> {
  const socket = join(dir, 'log.sock');
  const out = join(dir, 'received');
  const child = spawn('socat', ['-u', `UNIX-RECV:${socket}`, `CREATE:${out}`], { stdio: 'ignore' });
  t.after(() => killPid(child.pid!));
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
  const { dir } = tempDir(t);
  const log = await receiver(t, dir);
  const port = await freePort();
  const config = writeConfig(
    dir,
    `defaults:\n  syslog_socket: ${log.socket}\n` +
      `db:\n  pid_file: ${dir}/db.pid\n  script: exit 0\n  start_grace: 1h\n` +
      `bad:\n  pid_file: ${dir}/bad.pid\n  script: exit 1\n` +
      `app:\n  pid_file: ${dir}/app.pid\n  dep: [{name: cache, port: ${port}}]\n  script: exit 0\n`,
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

  writeConfig(dir, `defaults:\n  syslog: true\n  syslog_socket: ${log.socket}\napp:\n  pid_file: ${dir}/app.pid\n  script: exit 0\n`);
  await runCli(args);
  await waitFor(
    () => log.received().some((l) => /^<29>.* autoheal\[\d+\]: app restarted: /.test(l)),
    'daemon.notice for a restart, from defaults.syslog',
  );
});

test('a system log that cannot be reached is a warning; the pass goes on', async (t) => {
  const { dir } = tempDir(t);
  const config = writeConfig(
    dir,
    `defaults:\n  syslog: true\n  syslog_socket: ${dir}/nobody.sock\ndb:\n  pid_file: ${dir}/db.pid\n  script: exit 0\n`,
  );
  const run = await runCli(['--config', config, '--state-dir', join(dir, 'state')]);
  assert.equal(run.code, 1);
  assert.match(run.stdout, /^warning: system log: .*nobody\.sock/m);
});
