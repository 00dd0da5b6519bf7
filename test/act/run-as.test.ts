// Scripts run as the config's user and group: the spawn is built purely from the resolved accounts, and as root a
// real script, for a user and group this test creates and deletes, sees that uid, gid, groups, environment, cwd
// and umask, while its log file stays root's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { runRestart } from '../../src/act/restart.js';
import { buildCommandSpawn, prepareCommand, SETPRIV } from '../../src/util/run-as.js';
import { makeRequest, ownTempDir } from './support.js';

const account = { name: 'app', uid: 1234, gid: 1235, home: '/home/app', shell: '/bin/bash' };

test('no user or group: the shell runs directly, with cwd, env on top and the umask set first', () => {
  const spawn = buildCommandSpawn('run it', { cwd: '/srv', env: { A: '1', PATH: '/x' }, umask: 0o27 }, { PATH: '/bin', B: '2' }, { uid: 0, gid: 0 });
  assert.deepEqual(spawn, { file: '/bin/sh', args: ['-c', 'umask 0027\nrun it'], cwd: '/srv', env: { PATH: '/x', B: '2', A: '1' } });
  assert.deepEqual(buildCommandSpawn('x', {}, {}, { uid: 1000, gid: 1000 }), { file: '/bin/sh', args: ['-c', 'x'], cwd: '/', env: {} });
});

test("a user: setpriv switches uid, gid and the user's groups; HOME, USER, LOGNAME and SHELL come from its entry", () => {
  const spawn = buildCommandSpawn('x', { user: 'app', env: { HOME: '/override' } }, { HOME: '/root', USER: 'root' }, { uid: 0, gid: 0, account });
  assert.deepEqual(spawn, {
    file: SETPRIV,
    args: ['--reuid=1234', '--regid=1235', '--init-groups', '--', '/bin/sh', '-c', 'x'],
    cwd: '/',
    env: { HOME: '/override', USER: 'app', LOGNAME: 'app', SHELL: '/bin/bash' },
  });
  const grouped = buildCommandSpawn('x', { user: 'app', group: 'g' }, {}, { uid: 0, gid: 0, account, groupGid: 99 });
  assert.deepEqual('args' in grouped && grouped.args.slice(0, 3), ['--reuid=1234', '--regid=99', '--init-groups']);
  const groupOnly = buildCommandSpawn('x', { group: 'g' }, {}, { uid: 0, gid: 0, groupGid: 99 });
  assert.deepEqual('args' in groupOnly && groupOnly.args.slice(0, 3), ['--reuid=0', '--regid=99', '--clear-groups']);
});

test('a user while not root is an error that says why, never a run as the wrong user', () => {
  assert.deepEqual(buildCommandSpawn('x', { user: 'app' }, {}, { uid: 1000, gid: 1000, account }), {
    error: 'cannot run it as user `app`: autoheal-once runs as uid 1000, and only root can switch users; run it as root, or drop `user`/`group`',
  });
  // Naming the account it already runs as is fine.
  const self = buildCommandSpawn('x', { user: 'app' }, {}, { uid: 1234, gid: 1235, account });
  assert.equal('file' in self && self.file, '/bin/sh');
});

test('an account missing from the database is an error, not a run as root', async () => {
  assert.deepEqual(await prepareCommand('x', { user: 'no-such-user-autoheal' }, {}), {
    error: 'no user `no-such-user-autoheal` in the password database',
  });
  assert.deepEqual(await prepareCommand('x', { group: 'no-such-group-autoheal' }, {}), {
    error: 'no group `no-such-group-autoheal` in the group database',
  });
});

const root = process.getuid?.() === 0;
const tools =
  ['useradd', 'userdel', 'groupadd', 'groupdel'].every((t) => spawnSync('sh', ['-c', `command -v ${t}`]).status === 0) && existsSync(SETPRIV);
const skipReal = (!root && 'needs root to create users and switch to them') || (!tools && `needs useradd, groupadd and ${SETPRIV}`);

test("as root, a script runs with the user, its groups, HOME..., cwd, env and umask; the log stays root's", { skip: skipReal }, async (t) => {
  const { dir } = ownTempDir(t);
  chmodSync(dir, 0o755);
  const tag = `ah${process.pid % 100000}`;
  const [user, extra, other] = [`${tag}u`, `${tag}x`, `${tag}o`];
  const sh = (cmd: string, ...args: string[]) => assert.equal(spawnSync(cmd, args, { stdio: 'ignore' }).status, 0, `${cmd} ${args.join(' ')}`);
  sh('groupadd', extra);
  t.after(() => spawnSync('groupdel', [extra]));
  sh('groupadd', other);
  t.after(() => spawnSync('groupdel', [other]));
  sh('useradd', '--no-create-home', '--home-dir', `/nonexistent/${user}`, '--shell', '/bin/sh', '--user-group', '--groups', extra, user);
  // userdel first (LIFO): it also removes the user's own group.
  t.after(() => spawnSync('userdel', [user]));
  const id = (...a: string[]) => spawnSync('id', [...a, user], { encoding: 'utf8' }).stdout.trim();
  const work = join(dir, 'work');
  mkdirSync(work, { mode: 0o755 });

  const script =
    'echo "uid=$(id -u) gid=$(id -g) groups=$(id -G)"; echo "home=$HOME user=$USER logname=$LOGNAME shell=$SHELL"; echo "pwd=$(pwd) umask=$(umask) foo=$FOO"';
  const result = await runRestart(makeRequest(dir, script, { runAs: { user, cwd: work, env: { FOO: 'bar' }, umask: 0o27 } }));
  assert.equal(result.ok, true, `${result.error ?? ''} ${readFileSync(result.logPath, 'utf8')}`);
  const log = readFileSync(result.logPath, 'utf8');
  assert.ok(log.includes(`uid=${id('-u')} gid=${id('-g')} groups=${id('-G')}`), log);
  assert.ok(id('-G').split(' ').length === 2, `the user has a supplementary group: ${id('-G')}`);
  assert.ok(log.includes(`home=/nonexistent/${user} user=${user} logname=${user} shell=/bin/sh`), log);
  assert.ok(log.includes(`pwd=${work} umask=0027 foo=bar`), log);
  assert.equal(statSync(result.logPath).uid, 0, 'the log file is opened by root');

  // A group of its own: that gid, and the user's groups besides.
  const grouped = await runRestart(makeRequest(dir, 'echo "gid=$(id -g)"', { service: 'grouped', runAs: { user, group: other } }));
  assert.equal(grouped.ok, true, grouped.error);
  const otherGid = spawnSync('getent', ['group', other], { encoding: 'utf8' }).stdout.split(':')[2];
  assert.ok(readFileSync(grouped.logPath, 'utf8').includes(`gid=${otherGid}`));

  // Unknown at run time (deleted since validate): the restart fails with the reason, nothing runs as root.
  const missing = await runRestart(makeRequest(dir, `touch ${join(dir, 'ran')}`, { service: 'missing', runAs: { user: `${tag}none` } }));
  assert.equal(missing.ok, false);
  assert.equal(missing.error, `no user \`${tag}none\` in the password database`);
  assert.ok(!existsSync(join(dir, 'ran')));
  assert.match(readFileSync(missing.logPath, 'utf8'), /not run: no user/);
});
