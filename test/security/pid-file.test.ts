// Attacks through a pid file in a directory the service's (unprivileged) user controls: what root reads there is
// data, never followed to another file, never quoted, never a terminal to die of.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { isAlive, killPid, waitFor } from '../helpers/util.js';
import { autoheal } from '../helpers/command.js';
import { hangingServer, runCli } from '../helpers/cli.js';
import { attackerDir, attackScene, needsRoot, readTree } from './support.js';

/** A root-only file (0600 in a 0700 directory) holding a secret, as /etc/shadow or a service's token file. */
function plantSecret(dir: string): { path: string; secret: string } {
  const secret = `s3cr3t-${randomBytes(6).toString('hex')}`;
  mkdirSync(join(dir, 'private'), { mode: 0o700 });
  const path = join(dir, 'private', 'token.env');
  writeFileSync(path, `TOKEN=${secret}\n`, { mode: 0o600 });
  return { path, secret };
}

/** A restart script that appends $AUTOHEAL_REASON, the reason it was run for, to `file`. */
const reasonScript = (file: string): string => `printf '%s\\n' "$AUTOHEAL_REASON" >> ${file}`;

/** Every way a pass shows or passes on what it saw: text, --verbose, --json, a dry run, then what it left behind. */
async function everythingSaid(config: string, state: string, reasonFile: string): Promise<string> {
  let said = '';
  for (const extra of [[], ['--verbose'], ['--json'], ['--dry-run', '--json']]) {
    const run = await runCli(['--config', config, '--state-dir', state, ...extra]);
    said += `${run.stdout}\n${run.stderr}\n`;
  }
  return `${said}${readTree(state)}${existsSync(reasonFile) ? readFileSync(reasonFile, 'utf8') : ''}`;
}

test('a pid file the user links to a root-only file: nothing of that file reaches the report, the audit log, the restart log or $AUTOHEAL_REASON', {
  skip: needsRoot,
}, async (t) => {
  const { fx, dir, user } = attackScene(t);
  const { path, secret } = plantSecret(dir);
  const run = attackerDir(dir, 'run', user);
  user.sh(`ln -s '${path}' '${run}/web.pid'`);
  const reasonFile = join(dir, 'reason');
  const config = fx.write({ web: { pid_file: `${run}/web.pid`, script: reasonScript(reasonFile), start_grace: '1ms' } });
  const said = await everythingSaid(config, fx.state, reasonFile);
  assert.ok(!said.includes(secret), `the secret leaked:\n${said}`);
  assert.ok(!said.includes('TOKEN'), `part of the root-only file leaked:\n${said}`);
});

test('a pid file that holds no pid is reported as such, its text never quoted (a hard link to a secret would be quoted)', {
  skip: needsRoot,
}, async (t) => {
  const { fx, dir, user } = attackScene(t);
  const secret = `s3cr3t-${randomBytes(6).toString('hex')}`;
  const run = attackerDir(dir, 'run', user);
  user.sh(`printf 'TOKEN=${secret}\\n' > '${run}/web.pid'`);
  const reasonFile = join(dir, 'reason');
  const config = fx.write({ web: { pid_file: `${run}/web.pid`, script: reasonScript(reasonFile), start_grace: '1ms' } });
  const said = await everythingSaid(config, fx.state, reasonFile);
  assert.ok(!said.includes(secret), `the pid file's text was quoted:\n${said}`);
  assert.match(readFileSync(reasonFile, 'utf8'), /does not hold a pid/, 'the service is still judged down and restarted');
});

// The user keeps the pty's master (and the slave, so it stays a terminal) and types Ctrl-C into it, 50 times a
// second. A pass that opened the slave without O_NOCTTY, as a session leader, would take it as its controlling
// terminal and receive each SIGINT.
const PTY_TYPIST = String.raw`
use strict; use warnings; use Fcntl;
sysopen(my $m, '/dev/ptmx', O_RDWR | O_NOCTTY) or die "ptmx: $!\n";
my $unlock = pack('i', 0);
ioctl($m, 0x40045431, $unlock) or die "unlockpt: $!\n";
my $n = pack('i', 0);
ioctl($m, 0x80045430, $n) or die "ptsname: $!\n";
my $pts = '/dev/pts/' . unpack('i', $n);
sysopen(my $s, $pts, O_RDWR | O_NOCTTY) or die "$pts: $!\n";
symlink($pts, $ARGV[0]) or die "symlink: $!\n";
$| = 1;
print "$pts\n";
my $rin = '';
vec($rin, fileno($m), 1) = 1;
for (;;) {
  syswrite($m, "\x03");
  select(undef, undef, undef, 0.02);
  my $r = $rin;
  sysread($m, my $echoed, 4096) if select($r, undef, undef, 0) > 0;
}
`;

test('a pid file the user links to a terminal it types Ctrl-C into: a pass started as a session leader does not get it as its terminal and heals the rest', {
  skip: needsRoot,
}, async (t) => {
  const { fx, dir, user } = attackScene(t);
  const hung = await hangingServer();
  fx.defer(hung.close);
  let typist: ReturnType<typeof spawn> | undefined;
  let pass: ReturnType<typeof spawn> | undefined;
  fx.defer(() => typist?.pid && killPid(typist.pid));
  fx.defer(() => pass?.pid && isAlive(pass.pid) && killPid(pass.pid));
  const run = attackerDir(dir, 'run', user);
  const script = join(dir, 'typist.pl');
  writeFileSync(script, PTY_TYPIST, { mode: 0o644 });
  typist = spawn('/usr/bin/perl', [script, join(run, 'tty.pid')], { uid: user.uid, gid: user.gid, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  typist.stdout!.on('data', (d) => (out += d));
  await waitFor(() => out.includes('/dev/pts/'), 'the user to open a terminal', 10_000);
  const ttyFile = join(dir, 'web-tty');
  // `slow` keeps the pass probing for 2 s after the pid file was opened: a window for the Ctrl-Cs to land.
  const config = fx.write({
    tty: { pid_file: `${run}/tty.pid`, script: 'true' },
    slow: { pid_file: `${dir}/slow.pid`, script: 'true', dep: [{ name: 'hung', url: `http://127.0.0.1:${hung.port}/`, timeout: '2s' }] },
    web: { pid_file: `${dir}/web.pid`, script: `awk '{print $7}' /proc/$PPID/stat > ${ttyFile}` },
  });
  // detached: setsid(), a session leader with no terminal, as systemd and cron start it.
  pass = spawn(autoheal.file, autoheal.argv(['--config', config, '--state-dir', join(dir, 'state')]), {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let said = '';
  pass.stdout!.on('data', (d) => (said += d));
  pass.stderr!.on('data', (d) => (said += d));
  const exit = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
    pass!.on('close', (code, signal) => done({ code, signal })),
  );
  assert.equal(exit.signal, null, `the pass died of ${exit.signal}:\n${said}`);
  assert.doesNotMatch(said, /interrupted/, said);
  assert.equal(exit.code, 2, `blocked slow decides; tty is unknown, web restarted:\n${said}`);
  assert.equal(readFileSync(ttyFile, 'utf8').trim(), '0', 'the pass had no controlling terminal when it ran the script');
});
