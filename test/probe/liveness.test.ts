// Liveness of a service by name, by pid file, and by both, against real processes and pid files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { judgeByName, needsProcessScan, probeLiveness } from '../../src/probe/liveness.js';
import { scanProcesses } from '../../src/probe/proc.js';
import { fixture, killPid, startChild, tempDir, waitFor } from '../helpers/util.js';
import { put } from './servers.js';
import { startZombie } from './zombie.js';

const svc = (s: { pname?: string; pidFile?: string }) => ({ ...s, probeTimeoutMs: 2000 });

// A fake service with a unique title and a pid file, ready once the pid file exists.
async function startNamed(t: { after: (fn: () => Promise<void> | void) => void }, title: string) {
  const tmp = tempDir();
  const pidFile = join(tmp.dir, 'svc.pid');
  const child = startChild(process.execPath, [fixture('bin', 'fake-service.mjs'), '--name', title, '--pid-file', pidFile]);
  const pid = child.pid!;
  t.after(async () => {
    await killPid(pid);
    tmp.cleanup();
  });
  await waitFor(() => statSync(pidFile, { throwIfNoEntry: false }), 'the pid file');
  // Node sets argv[0] and comm one after the other: wait until /proc shows both.
  await waitFor(
    () =>
      scanProcesses()
        .byName.get(title)
        ?.some((p) => p.comm === title.slice(0, 15)),
    `${title} in /proc`,
  );
  return { pid, pidFile, tmp };
}

test('needsProcessScan: only when some service is looked up by name', () => {
  assert.equal(needsProcessScan([]), false);
  assert.equal(needsProcessScan([{ pidFile: '/x.pid' } as { pname?: string }]), false);
  assert.equal(needsProcessScan([{}, { pname: 'nginx' }]), true);
});

test('pname only: up with the pid of the running process, down once it is gone', async (t) => {
  const title = `live-name-${process.pid}`;
  const { pid } = await startNamed(t, title);
  const up = await probeLiveness(svc({ pname: title }), scanProcesses());
  assert.equal(up.result.status, 'up', up.result.reason);
  assert.equal(up.result.pid, pid);
  assert.equal(up.result.reason, `\`${title}\` is running (pid ${pid})`);
  assert.deepEqual(
    up.byName?.alive.map((p) => p.pid),
    [pid],
  );

  const excluded = await probeLiveness(svc({ pname: title }), scanProcesses(), { exclude: new Set([pid]) });
  assert.equal(excluded.result.status, 'down', 'an excluded pid is not the service');

  await killPid(pid);
  const down = await probeLiveness(svc({ pname: title }), scanProcesses());
  assert.equal(down.result.status, 'down');
  // Until node reaps it, the killed child may still be a zombie carrying the name.
  assert.match(down.result.reason, new RegExp(`^no process named \`${title}\`( \\(only zombies: pid ${pid}\\))?$`));
});

test('pname only: a zombie carrying the name does not count, and the reason says so', async () => {
  const z = await startZombie();
  try {
    const table = scanProcesses();
    // Look the zombie up by a name only it carries: exclude every live `sleep` of the machine.
    const others = new Set((table.byName.get('sleep') ?? []).filter((p) => p.pid !== z.zombie).map((p) => p.pid));
    const obs = await probeLiveness(svc({ pname: 'sleep' }), table, { exclude: others });
    assert.equal(obs.result.status, 'down');
    assert.equal(obs.result.reason, `no process named \`sleep\` (only zombies: pid ${z.zombie})`);
  } finally {
    await z.stop();
  }
});

test('pname only: unknown without a process table, or when part of /proc could not be read', async () => {
  const none = await probeLiveness(svc({ pname: 'nginx' }), undefined);
  assert.equal(none.result.status, 'unknown');
  const partial = judgeByName('nginx', { alive: [], zombies: [] }, 2);
  assert.equal(partial.status, 'unknown');
  assert.match(partial.reason, /2 unreadable/);
  const neither = await probeLiveness(svc({}), scanProcesses());
  assert.equal(neither.result.status, 'unknown');
});

test('pid file only: the pid file decides, with no process table at all', async (t) => {
  const { pid, pidFile } = await startNamed(t, `live-pidfile-${process.pid}`);
  const obs = await probeLiveness(svc({ pidFile }), undefined);
  assert.equal(obs.result.status, 'up', obs.result.reason);
  assert.equal(obs.result.pid, pid);
  assert.equal(obs.pidFile?.pid, pid);
});

test('pname and pid file: up when the pid file process carries the name (comm, or argv[0] past 15 characters)', async (t) => {
  const title = `long-service-title-${process.pid}`;
  const { pid, pidFile } = await startNamed(t, title);
  for (const pname of [title, title.slice(0, 15)]) {
    const obs = await probeLiveness(svc({ pname, pidFile }), scanProcesses());
    assert.equal(obs.result.status, 'up', `${pname}: ${obs.result.reason}`);
    assert.equal(obs.result.pid, pid);
  }
});

test('pname and pid file: down when the pid file names a live process of another name (stale pid file)', async (t) => {
  const tmp = tempDir(t);
  const sleeper = startChild('sleep', ['30']);
  const pid = sleeper.pid!;
  t.after(() => killPid(pid));
  await waitFor(
    () =>
      scanProcesses()
        .byName.get('sleep')
        ?.some((p) => p.pid === pid),
    'sleep to exec',
  );
  const pidFile = put(join(tmp.dir, 'nginx.pid'), `${pid}\n`);
  const obs = await probeLiveness(svc({ pname: 'nginx', pidFile }), scanProcesses());
  assert.equal(obs.result.status, 'down');
  assert.equal(obs.result.reason, `pid ${pid} from ${pidFile} is \`sleep\`, not \`nginx\` (stale pid file)`);
  assert.equal(obs.result.pid, pid);
  assert.equal(obs.pidFile?.result.status, 'up', 'the pid file alone still says the pid runs');
});

test('pname and pid file: a dead pid file stays down even if a process carries the name', async (t) => {
  const title = `live-both-dead-${process.pid}`;
  const { tmp } = await startNamed(t, title);
  const obs = await probeLiveness(svc({ pname: title, pidFile: join(tmp.dir, 'other.pid') }), scanProcesses());
  assert.equal(obs.result.status, 'down');
  assert.match(obs.result.reason, /other\.pid does not exist/);
});
