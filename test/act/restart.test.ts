// runRestart with real scripts: exit codes, the log file, the environment the script sees, start failures.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { runRestart } from '../../src/act/restart.js';
import { procStat } from '../helpers/util.js';
import { fixtureScript, makeRequest, ownTempDir } from './support.js';

test('exit 0 is ok; output and the header land in <logDir>/<service>.log', async (t) => {
  const { dir } = ownTempDir(t);
  const result = await runRestart(makeRequest(dir, fixtureScript('exit-with.sh', '0'), { service: 'web', reason: 'pid file missing' }));
  assert.equal(result.ok, true);
  assert.equal(result.exitCode, 0);
  assert.equal(result.timedOut, false);
  assert.equal(result.error, undefined);
  assert.equal(result.logPath, join(dir, 'logs', 'web.log'));
  assert.ok(result.durationMs >= 0 && result.durationMs < 5000, `${result.durationMs}`);
  const lines = readFileSync(result.logPath, 'utf8').split('\n');
  assert.match(lines[0] ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z autoheal-once: restarting web: pid file missing$/);
  assert.ok(lines.includes('stdout of exit-with 0'));
  assert.ok(lines.includes('stderr of exit-with 0'));
});

test('leaves no file descriptor open in the pass, whatever the outcome', async (t) => {
  const { dir } = ownTempDir(t);
  const openFds = (): number => readdirSync('/proc/self/fd').length;
  await runRestart(makeRequest(dir, 'true')); // first run loads execa, which may open files of its own
  const before = openFds();
  await runRestart(makeRequest(dir, 'exit 0'));
  await runRestart(makeRequest(dir, 'exit 1'));
  await runRestart(makeRequest(dir, 'true', { shell: join(dir, 'no-such-sh') }));
  await runRestart(makeRequest(dir, 'true', { timeoutMs: -1 }));
  assert.equal(openFds(), before);
});

test('exit 1 is a failure with exitCode 1, not a start error; runs append to the same log', async (t) => {
  const { dir } = ownTempDir(t);
  await runRestart(makeRequest(dir, fixtureScript('exit-with.sh', '0')));
  const result = await runRestart(makeRequest(dir, fixtureScript('exit-with.sh', '1')));
  assert.equal(result.ok, false);
  assert.equal(result.exitCode, 1);
  assert.equal(result.signal, undefined);
  assert.equal(result.timedOut, false);
  assert.equal(result.error, undefined);
  const log = readFileSync(result.logPath, 'utf8');
  assert.equal(log.match(/autoheal-once: restarting svc/g)?.length, 2);
  assert.ok(log.indexOf('stderr of exit-with 0') < log.indexOf('stderr of exit-with 1'));
});

test('a script killed by a signal reports the signal', async (t) => {
  const { dir } = ownTempDir(t);
  const result = await runRestart(makeRequest(dir, 'kill -KILL $$'));
  assert.equal(result.ok, false);
  assert.equal(result.signal, 'SIGKILL');
  assert.equal(result.timedOut, false);
});

test('the script sees AUTOHEAL_SERVICE, AUTOHEAL_REASON, its own session, cwd /, stdin /dev/null, fd 1 and 2 on the log', async (t) => {
  const { dir } = ownTempDir(t);
  const out = join(dir, 'env.txt');
  const result = await runRestart(
    makeRequest(dir, fixtureScript('write-env.sh', out), {
      service: 'db',
      reason: 'dependency cache ready',
      baseEnv: { PATH: '/opt/x:/usr/bin:/bin' },
    }),
  );
  assert.equal(result.ok, true, JSON.stringify(result));
  const seen = Object.fromEntries(
    readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );
  assert.equal(seen.AUTOHEAL_SERVICE, 'db');
  assert.equal(seen.AUTOHEAL_REASON, 'dependency cache ready');
  assert.equal(seen.PATH, '/opt/x:/usr/bin:/bin');
  assert.equal(seen.PWD, '/');
  assert.equal(seen.FD0, '/dev/null');
  assert.equal(seen.FD1, result.logPath);
  assert.equal(seen.FD2, result.logPath);
  // setsid: the script leads a session that is not ours.
  assert.equal(Number(seen.SID), result.pid);
  assert.notEqual(Number(seen.SID), procStat(process.pid)!.session);
});

test("cron's minimal PATH is replaced by the full one", async (t) => {
  const { dir } = ownTempDir(t);
  const out = join(dir, 'env.txt');
  const result = await runRestart(makeRequest(dir, fixtureScript('write-env.sh', out), { baseEnv: { PATH: '/usr/bin:/bin' } }));
  assert.equal(result.ok, true, JSON.stringify(result));
  assert.match(readFileSync(out, 'utf8'), /^PATH=\/usr\/local\/sbin:\/usr\/local\/bin:\/usr\/sbin:\/usr\/bin:\/sbin:\/bin$/m);
});

test('creates a missing log dir 0700 and the log file 0600', async (t) => {
  const { dir } = ownTempDir(t);
  const old = process.umask(0o022);
  t.after(() => process.umask(old));
  const logDir = join(dir, 'deep', 'logs');
  const result = await runRestart(makeRequest(dir, 'true', { logDir }));
  assert.equal(result.ok, true);
  assert.equal(statSync(logDir).mode & 0o777, 0o700);
  assert.equal(statSync(result.logPath).mode & 0o777, 0o600);
});

test('hostile service names stay inside the log dir, one distinct file each', async (t) => {
  const { dir } = ownTempDir(t);
  const names = ['../escape', '..', '.', '/etc/passwd', 'a b', 'a%20b', 'new\nline', '服务', ''];
  const results = await Promise.all(names.map((service) => runRestart(makeRequest(dir, 'echo hi', { service }))));
  for (const r of results) assert.equal(r.ok, true, JSON.stringify(r));
  assert.deepEqual(readdirSync(dir).sort(), ['logs']);
  const files = readdirSync(join(dir, 'logs'));
  assert.equal(files.length, names.length);
  assert.deepEqual(new Set(results.map((r) => r.logPath)).size, names.length);
  for (const r of results) assert.equal(dirname(r.logPath), join(dir, 'logs'), r.logPath);
});

test('an unusable log dir is reported, and the script still runs with its output discarded', async (t) => {
  const { dir } = ownTempDir(t);
  writeFileSync(join(dir, 'file'), '');
  const marker = join(dir, 'ran');
  const result = await runRestart(makeRequest(dir, `touch ${marker}; echo lost`, { logDir: join(dir, 'file', 'logs') }));
  assert.equal(result.ok, true);
  assert.equal(result.exitCode, 0);
  assert.equal(result.error, undefined);
  assert.match(result.logError ?? '', /^cannot create log directory .*\/file\/logs: a component of the path is not a directory \(ENOTDIR\)$/);
  assert.equal(result.logPath, join(dir, 'file', 'logs', 'svc.log'));
  assert.ok(statSync(marker).isFile());
});

test('a symlink or a FIFO in place of the log file is refused instead of followed or blocking', async (t) => {
  const { dir } = ownTempDir(t);
  const logs = join(dir, 'logs');
  mkdirSync(logs);
  symlinkSync(join(dir, 'target'), join(logs, 'linked.log'));
  execFileSync('mkfifo', [join(logs, 'fifo.log')]);
  const linked = await runRestart(makeRequest(dir, 'echo hi', { service: 'linked' }));
  assert.match(linked.logError ?? '', /^cannot open log file .*linked\.log: too many levels of symbolic links \(ELOOP\)$/);
  assert.throws(() => statSync(join(dir, 'target')), /ENOENT/);
  const fifo = await runRestart(makeRequest(dir, 'echo hi', { service: 'fifo' }));
  assert.match(fifo.logError ?? '', /^cannot open log file .*fifo\.log: no reader on the other end \(a FIFO or a device\) \(ENXIO\)$/);
  assert.equal(linked.ok && fifo.ok, true, 'the scripts ran, their output discarded');
});

test('a missing shell is a start error that names it', async (t) => {
  const { dir } = ownTempDir(t);
  const result = await runRestart(makeRequest(dir, 'true', { shell: join(dir, 'no-such-sh') }));
  assert.equal(result.ok, false);
  assert.equal(result.exitCode, undefined);
  assert.equal(result.pid, undefined);
  assert.match(result.error ?? '', /^cannot start .*no-such-sh: .*ENOENT/);
});

test('an invalid timeout is refused with a message, and logged', async (t) => {
  const { dir } = ownTempDir(t);
  const result = await runRestart(makeRequest(dir, 'true', { timeoutMs: Number.NaN }));
  assert.equal(result.ok, false);
  assert.match(result.error ?? '', /^Expected `timeoutMs` to be a positive number .* got `NaN` \(number\)$/);
  assert.match(readFileSync(result.logPath, 'utf8'), /not run: Expected `timeoutMs`/);
});
