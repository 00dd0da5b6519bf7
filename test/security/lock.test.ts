// Attacks on the one-pass-at-a-time lock: another user must not be able to hold it (and so stop all healing),
// and one state directory reached by two paths (a bind mount) must still be one lock.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { killPid, waitFor } from '../helpers/util.js';
import { runCli } from '../helpers/cli.js';
import { configFixture } from '../helpers/config-fixture.js';
import { attackScene, mount, needsRoot, unmount } from './support.js';

// The abstract socket name older passes locked a state directory with: anyone who knows the path can compute it.
function predictableLockName(canonicalStateDir: string): string {
  let out = '';
  for (const offset of [0x811c9dc5, 0x01000193, 0x050c5d1f, 0x2e3f0b6d]) {
    let h = offset;
    for (let i = 0; i < canonicalStateDir.length; i++) h = Math.imul(h ^ canonicalStateDir.charCodeAt(i), 0x01000193);
    out += (h >>> 0).toString(16).padStart(8, '0');
  }
  return `autoheal-once:${out}:`.padEnd(107, '.');
}

// The squatter binds the names it is given, then every abstract name /proc/net/unix shows for a unix socket
// whose name mentions autoheal, as soon as its holder lets go; it keeps them all.
const SQUATTER = String.raw`
use strict; use warnings; use Socket;
$| = 1;
my (%held, %seen);
sub squat {
  my ($name) = @_;
  return 1 if $held{$name};
  socket(my $s, AF_UNIX, SOCK_STREAM, 0) or die "socket: $!\n";
  return 0 unless bind($s, pack_sockaddr_un($name));
  listen($s, 1);
  $held{$name} = $s;
  print "squatted\n";
  return 1;
}
squat("\0$_") for @ARGV;
print "ready\n";
for (;;) {
  if (open(my $f, '<', '/proc/net/unix')) {
    while (<$f>) {
      my @c = split;
      next unless @c >= 8 && $c[7] =~ /^\@.*autoheal/i;
      (my $name = $c[7]) =~ s/\@/\0/g;
      $seen{$name} = 1;
    }
    close $f;
  }
  squat($_) for keys %seen;
  select(undef, undef, undef, 0.005);
}
`;

test('a user squatting on the lock (the old predictable name, and any name it sees a pass use) cannot stop the healing', {
  skip: needsRoot,
}, async (t) => {
  const { fx, dir, user } = attackScene(t);
  let squatter: ChildProcess | undefined;
  fx.defer(() => squatter?.pid && killPid(squatter.pid));
  const state = join(dir, 'state');
  mkdirSync(state, { mode: 0o700 });
  const script = join(dir, 'squatter.pl');
  writeFileSync(script, SQUATTER, { mode: 0o644 });
  squatter = spawn('/usr/bin/perl', [script, predictableLockName(realpathSync(state))], {
    uid: user.uid,
    gid: user.gid,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  squatter.stdout!.on('data', (d) => (out += d));
  await waitFor(() => out.includes('ready'), 'the squatter to start', 10_000);
  const runs = join(dir, 'runs');
  // Each pass holds the lock for a while, so the squatter can see whatever name it uses.
  const config = fx.write({ web: { pid_file: `${dir}/web.pid`, script: `echo run >> ${runs}; sleep 0.5`, start_grace: '1ms', max_restarts: 10 } });
  for (let i = 1; i <= 3; i++) {
    const run = await runCli(['--config', config, '--state-dir', state]);
    assert.equal(run.code, 1, `pass ${i}: ${run.stdout}${run.stderr}`);
  }
  assert.equal(readFileSync(runs, 'utf8').trim().split('\n').length, 3);
});

test('one state directory through a bind mount is one lock: a second pass through the other path does nothing', { skip: needsRoot }, async (t) => {
  const fx = configFixture(t, { shared: true });
  const dir = fx.dir;
  const state = join(dir, 'state');
  const other = join(dir, 'other');
  mkdirSync(state, { mode: 0o700 });
  mkdirSync(other, { mode: 0o700 });
  const refused = mount(['--bind', state, other]);
  if (refused) {
    t.skip(refused);
    return;
  }
  fx.defer(() => unmount(other));
  // Lets a first run of the script that is still waiting go, whatever happened.
  fx.defer(() => writeFileSync(join(dir, 'release'), ''));
  const runs = join(dir, 'runs');
  const started = join(dir, 'started');
  // The first run of the script says it started, then waits until the test lets it go; later runs return.
  const release = join(dir, 'release');
  const waitOnce = `echo run >> ${runs}; [ $(wc -l < ${runs}) -gt 1 ] || { touch ${started}; while [ ! -e ${release} ]; do sleep 0.02; done; }`;
  const config = fx.write({ web: { pid_file: `${dir}/web.pid`, script: waitOnce, start_grace: '1ms', restart_timeout: '60s' } });
  const first = runCli(['--config', config, '--state-dir', state]);
  await waitFor(() => existsSync(started), 'the first pass to run its script', 20_000);
  const second = await runCli(['--config', config, '--state-dir', other]);
  writeFileSync(release, '');
  const firstRun = await first;
  assert.equal(firstRun.code, 1, firstRun.stdout + firstRun.stderr);
  assert.equal(second.code, 3, second.stdout + second.stderr);
  assert.match(second.stderr, /another pass .*is running/);
  assert.equal(readFileSync(runs, 'utf8').trim().split('\n').length, 1, 'the service was restarted by both passes');
});
