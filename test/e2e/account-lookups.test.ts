// The built CLI, as root, looks up each account of `user`/`group` once per pass, however many command probes and
// restarts run as it and however many rounds a converging run takes. Every getent it runs is counted: in a mount
// namespace of its own, a wrapper that logs each call is bind-mounted over /usr/bin/getent (autoheal-once runs
// getent from /usr/bin:/bin, whatever PATH it was given).
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { configFixture, type ServiceSpec } from '../helpers/config-fixture.js';
import { join } from 'node:path';
import { killPid, startChild } from '../helpers/util.js';
import { autoheal } from '../helpers/command.js';
import { runToEnd, type ToolRun } from '../helpers/tools.js';
import { createAttacker, needsRoot } from '../security/support.js';

const GETENT = '/usr/bin/getent';

/** Why getent cannot be counted here, or undefined when it can. */
function cannotCount(): string | undefined {
  if (needsRoot) return needsRoot;
  if (!existsSync(GETENT)) return `no ${GETENT}`;
  const r = spawnSync('unshare', ['--mount', '--propagation', 'private', '--', 'true'], { encoding: 'utf8' });
  return r.status === 0 ? undefined : `cannot make a mount namespace here (unshare --mount): ${r.stderr.trim() || r.error?.message}`;
}

interface Counted {
  dir: string;
  user: string;
  /** Writes the config (0600, in a dir the user may enter). */
  write(services: Record<string, ServiceSpec>): void;
  /** Runs a pass over that config, with extra arguments, and a counting getent. */
  pass(...extra: string[]): Promise<ToolRun>;
  /** The getent calls so far for this test's user, e.g. `passwd -- NAME`. */
  lookups(): string[];
  /** The next getent call exits with this code without looking anything up (2: getent's "not found"). */
  failNext(code: number): void;
  /** How many times a command probe counting into `name` ran. */
  runs(name: string): number;
  /** A command that counts its runs into `name` and succeeds from its `readyAt`th run on. */
  countingProbe(name: string, readyAt: number): string;
}

const skip = cannotCount() ?? false;

function setUp(t: TestContext): Counted {
  const fx = configFixture(t, { shared: true });
  const { dir } = fx;
  const attacker = createAttacker();
  t.after(() => attacker.remove());
  const user = attacker.name;
  // Where the probes, run as the user, count their runs.
  const counts = join(dir, 'counts');
  mkdirSync(counts, { mode: 0o755 });
  chownSync(counts, attacker.uid, attacker.gid);
  const real = join(dir, 'getent.real');
  copyFileSync(GETENT, real);
  chmodSync(real, 0o755);
  const log = join(dir, 'getent.log');
  const fail = join(dir, 'getent.fail');
  const wrapper = join(dir, 'getent');
  writeFileSync(
    wrapper,
    [
      '#!/bin/sh',
      `printf '%s\\n' "$*" >> ${log}`,
      `if [ -e ${fail} ] && code=$(cat ${fail}) && rm ${fail} 2>/dev/null; then exit "$code"; fi`,
      `exec ${real} "$@"`,
      '',
    ].join('\n'),
    { mode: 0o755 },
  );
  return {
    dir,
    user,
    write: (services) => void fx.write(services),
    pass: (...extra) =>
      runToEnd(
        'unshare',
        [
          '--mount',
          '--propagation',
          'private',
          '--',
          '/bin/sh',
          '-c',
          'mount --bind "$1" "$2" && shift 2 && exec "$@"',
          'sh',
          wrapper,
          GETENT,
          autoheal.file,
          ...autoheal.argv(fx.args(...extra)),
        ],
        { timeoutMs: 120_000, what: `autoheal-once ${extra.join(' ')}` },
      ),
    lookups: () =>
      existsSync(log)
        ? readFileSync(log, 'utf8')
            .split('\n')
            .filter((l) => l.endsWith(` -- ${user}`))
            .sort()
        : [],
    failNext: (code) => writeFileSync(fail, `${code}\n`),
    runs: (name) => (existsSync(join(counts, name)) ? readFileSync(join(counts, name), 'utf8').split('\n').filter(Boolean).length : 0),
    countingProbe: (name, readyAt) => `echo x >> ${join(counts, name)}; [ "$(wc -l < ${join(counts, name)})" -ge ${readyAt} ]`,
  };
}

interface ServiceJson {
  name: string;
  state: string;
  blockedBy?: { reason: string };
  round?: { round: number };
}

/** One service, down, run as the user and waiting for a gate that opens at its `readyAt`th probe. */
function writeWaiter(c: Counted, readyAt: number): void {
  c.write({
    waiter: { pid_file: `${c.dir}/waiter.pid`, script: 'true', user: c.user, dep: [{ name: 'gate', command: c.countingProbe('gate', readyAt) }] },
  });
}

function services(run: ToolRun): Map<string, ServiceJson> {
  const doc = JSON.parse(run.stdout) as { services: ServiceJson[] };
  return new Map(doc.services.map((s) => [s.name, s]));
}

test('a converging pass looks its user and group up once each, for every probe and restart of every round', { skip }, async (t) => {
  const c = setUp(t);
  const { dir, user } = c;
  const sleeper = startChild('sleep', ['600']);
  t.after(() => killPid(sleeper.pid!));
  writeFileSync(join(dir, 'app.pid'), `${sleeper.pid}\n`);
  const asUser = `[ "$(id -un)" = ${user} ]`;
  c.write({
    app: { pid_file: `${dir}/app.pid`, script: 'true', user, check: { command: asUser }, failures: 1 },
    // Down, and waits for a gate that opens at its third probe: three rounds, each probing it again.
    waiter: {
      pid_file: `${dir}/waiter.pid`,
      script: 'true',
      user,
      group: user,
      dep: [
        { name: 'gate', command: c.countingProbe('gate', 3) },
        { name: 'self', command: asUser },
      ],
    },
    // Down, its dependency ready at once: restarted (as the user) in the first round.
    starter: { pid_file: `${dir}/starter.pid`, script: 'true', user, dep: [{ name: 'self', command: asUser }] },
  });
  const run = await c.pass('--converge', '60', '--json');
  const byName = services(run);
  assert.equal(byName.get('app')?.state, 'healthy', run.stdout + run.stderr);
  assert.equal(byName.get('starter')?.state, 'restarted', run.stdout);
  assert.equal(byName.get('starter')?.round?.round, 1, run.stdout);
  assert.equal(byName.get('waiter')?.state, 'restarted', run.stdout);
  assert.equal(byName.get('waiter')?.round?.round, 3, run.stdout);
  assert.equal(c.runs('gate'), 3, 'the gate was probed, as the user, in each of the three rounds');
  assert.deepEqual(c.lookups(), [`group -- ${user}`, `passwd -- ${user}`]);
});

test('a lookup that gets no answer is not kept: the next round asks again, and keeps the answer it gets then', { skip }, async (t) => {
  const c = setUp(t);
  const { user } = c;
  writeWaiter(c, 2);
  // getent exits 1 (as when it cannot ask the databases at all) for the first lookup only.
  c.failNext(1);
  const run = await c.pass('--converge', '60', '--json');
  const waiter = services(run).get('waiter');
  assert.equal(waiter?.state, 'restarted', run.stdout + run.stderr);
  // Round 1: no account, so no probe; round 2: looked up again, probed; round 3: probed, ready, restarted.
  assert.equal(waiter?.round?.round, 3, run.stdout);
  assert.equal(c.runs('gate'), 2);
  assert.deepEqual(c.lookups(), [`passwd -- ${user}`, `passwd -- ${user}`]);
});

test('a user the database does not know stays unknown for the rest of the pass; the next pass asks again', { skip }, async (t) => {
  const c = setUp(t);
  const { user } = c;
  writeWaiter(c, 1000);
  // getent's "not found" for the first lookup, as if the account were missing while this pass runs.
  c.failNext(2);
  const first = await c.pass('--converge', '10', '--json');
  const doc = JSON.parse(first.stdout) as { services: ServiceJson[]; timeline: unknown[] };
  assert.ok(doc.timeline.length >= 2, `the waiter was probed in more than one round: ${first.stdout}`);
  assert.equal(doc.services[0]?.state, 'blocked', first.stdout + first.stderr);
  assert.equal(doc.services[0]?.blockedBy?.reason, `cannot run the command: no user \`${user}\` in the password database`);
  assert.equal(c.runs('gate'), 0, 'the probe never ran, as anyone');
  assert.deepEqual(c.lookups(), [`passwd -- ${user}`]);
  // The account is there for the next pass: it is looked up again, and the probe runs as the user.
  const second = await c.pass('--json');
  assert.equal(services(second).get('waiter')?.state, 'blocked', second.stdout + second.stderr);
  assert.equal(c.runs('gate'), 1);
  assert.deepEqual(c.lookups(), [`passwd -- ${user}`, `passwd -- ${user}`]);
});

test('a pass that finds a restart to do and decides again under the lock does not look its user up again', { skip }, async (t) => {
  const c = setUp(t);
  const { user } = c;
  writeWaiter(c, 2);
  // The first pass caches the config (so it locks first thing) and finds the gate shut: blocked.
  const first = await c.pass('--json');
  assert.equal(services(first).get('waiter')?.state, 'blocked', first.stdout + first.stderr);
  assert.deepEqual(c.lookups(), [`passwd -- ${user}`]);
  // The second finds the gate open without the lock, takes it, and probes and decides again before restarting.
  const second = await c.pass('--json');
  assert.equal(services(second).get('waiter')?.state, 'restarted', second.stdout + second.stderr);
  assert.equal(c.runs('gate'), 3, 'the gate was probed once without the lock and once under it');
  assert.deepEqual(c.lookups(), [`passwd -- ${user}`, `passwd -- ${user}`], 'one lookup per pass');
});
