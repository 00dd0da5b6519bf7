// Pid files: pure parsing and error classification, then real files, real processes and a real zombie.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync, execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { classifyPidFileError, parsePid } from '../../src/probe/pid-file.js';
import { probePidFile } from '../../src/probe/pid-file.js';
import { fixture, killPid, startChild, tempDir, waitFor } from '../helpers/util.js';
import { put } from './servers.js';
import { startZombie } from './zombie.js';

test('parsePid accepts a decimal pid on the first line, whitespace around it allowed', () => {
  assert.deepEqual(parsePid('123\n', '/x.pid'), { ok: true, pid: 123 });
  assert.deepEqual(parsePid('  123 \r\n', '/x.pid'), { ok: true, pid: 123 });
  assert.deepEqual(parsePid('123\n8080\n', '/x.pid'), { ok: true, pid: 123 });
  assert.deepEqual(parsePid('4194304', '/x.pid'), { ok: true, pid: 4194304 });
});

test('parsePid rejects empty files and garbage with a reason naming the file', () => {
  assert.deepEqual(parsePid('', '/x.pid'), { ok: false, reason: 'pid file /x.pid is empty' });
  assert.deepEqual(parsePid(' \n\n', '/x.pid'), { ok: false, reason: 'pid file /x.pid is empty' });
  for (const garbage of ['abc', '12abc', '-5', '0', '+5', '1e3', '0x10', '12.0', '4194305', '99999999999999999999', '\n123']) {
    const parsed = parsePid(garbage, '/x.pid');
    assert.equal(parsed.ok, false, `\`${garbage}\` is not a pid`);
    if (!parsed.ok) assert.equal(parsed.reason, 'pid file /x.pid does not hold a pid');
  }
  const weird = parsePid('\u0007`bell`', '/x.pid');
  assert.deepEqual(weird, { ok: false, reason: 'pid file /x.pid does not hold a pid' }, 'the content is never quoted');
});

test('classifyPidFileError: absent is down, anything we could not read is unknown', () => {
  const errno = (code: string) => Object.assign(new Error(`${code}: failed`), { code });
  assert.equal(classifyPidFileError(errno('ENOENT'), '/x.pid').status, 'down');
  assert.equal(classifyPidFileError(errno('ENOTDIR'), '/x.pid').status, 'down');
  assert.equal(classifyPidFileError(errno('EISDIR'), '/x.pid').status, 'down');
  for (const err of [errno('EACCES'), errno('EPERM'), errno('EIO'), errno('ELOOP'), errno('EMFILE'), new Error('odd')]) {
    assert.equal(classifyPidFileError(err, '/x.pid').status, 'unknown', err.message);
  }
  assert.equal(classifyPidFileError(errno('EACCES'), '/x.pid').reason, 'cannot read pid file /x.pid: permission denied (EACCES)');
});

test('probePidFile: up for a live process, with the pid, the file mtime and the process start time', async (t) => {
  const tmp = tempDir(t);
  const pidFile = join(tmp.dir, 'svc.pid');
  const child = startChild(process.execPath, [fixture('bin', 'fake-service.mjs'), '--name', 'pidfile-up', '--pid-file', pidFile]);
  const pid = child.pid!;
  try {
    await waitFor(() => statSync(pidFile, { throwIfNoEntry: false }), 'the pid file');
    const obs = await probePidFile(pidFile, 2000);
    assert.equal(obs.result.status, 'up', obs.result.reason);
    assert.equal(obs.result.pid, pid);
    assert.equal(obs.pid, pid);
    assert.match(obs.result.reason, new RegExp(`^pid ${pid} from ${pidFile} is running`));
    assert.equal(obs.fileMtimeMs, statSync(pidFile).mtimeMs);
    assert.equal(obs.process?.pid, pid);
    assert.ok((obs.process?.startTicks ?? 0) > 0);
  } finally {
    await killPid(pid);
  }
  // Until node reaps it, the killed child is a zombie; once reaped, its pid is gone.
  await waitFor(() => child.exitCode !== null || child.signalCode !== null, `pid ${pid} to be reaped`);
  const after = await probePidFile(pidFile, 2000);
  assert.equal(after.result.status, 'down');
  assert.equal(after.result.reason, `pid ${pid} from ${pidFile} is not running`);
  assert.equal(after.process, undefined);
});

test('probePidFile: down for a missing, empty, garbage or impossible pid file', async (t) => {
  const tmp = tempDir(t);
  const missing = join(tmp.dir, 'missing.pid');
  const cases: [string, string][] = [
    [missing, `pid file ${missing} does not exist`],
    [put(join(tmp.dir, 'empty.pid'), ''), 'is empty'],
    [put(join(tmp.dir, 'abc.pid'), 'abc\n'), 'does not hold a pid'],
    [put(join(tmp.dir, 'mixed.pid'), '12abc\n'), 'does not hold a pid'],
    [put(join(tmp.dir, 'neg.pid'), '-1\n'), 'does not hold a pid'],
    [put(join(tmp.dir, 'zero.pid'), '0\n'), 'does not hold a pid'],
    [put(join(tmp.dir, 'huge.pid'), '99999999999\n'), 'does not hold a pid'],
    [join(put(join(tmp.dir, 'file'), 'x'), 'under-a-file.pid'), 'a parent of it is not a directory'],
  ];
  mkdirSync(join(tmp.dir, 'dir.pid'));
  cases.push([join(tmp.dir, 'dir.pid'), 'is a directory']);
  for (const [path, reason] of cases) {
    const obs = await probePidFile(path, 2000);
    assert.equal(obs.result.status, 'down', path);
    assert.ok(obs.result.reason.includes(reason), `${obs.result.reason} should include ${reason}`);
    assert.equal(obs.path, path);
  }
});

test('probePidFile: down for a pid that is a zombie', async () => {
  const z = await startZombie();
  try {
    const obs = await probePidFile(z.pidFile, 2000);
    assert.equal(obs.result.status, 'down');
    assert.equal(obs.result.reason, `pid ${z.zombie} from ${z.pidFile} is a zombie (\`sleep\`)`);
    assert.equal(obs.process?.state, 'Z');
  } finally {
    await z.stop();
  }
});

test('probePidFile: unknown for a pid file it may not read (EACCES, as an unprivileged user)', async (t) => {
  const tmp = tempDir(t);
  chmodSync(tmp.dir, 0o755);
  const path = put(join(tmp.dir, 'secret.pid'), `${process.pid}\n`);
  chmodSync(path, 0o000);
  const moduleUrl = new URL('../../src/probe/pid-file.js', import.meta.url).href;
  const script = `import(${JSON.stringify(moduleUrl)}).then(async (m) => {
    process.stdout.write(JSON.stringify((await m.probePidFile(${JSON.stringify(path)}, 2000)).result));
  });`;
  // Root reads any file (CAP_DAC_OVERRIDE): the probe runs in a child as `nobody` to get a real EACCES.
  const asRoot = process.getuid?.() === 0;
  const run = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 10_000, ...(asRoot ? { uid: 65534, gid: 65534 } : {}) });
  assert.equal(run.status, 0, run.stderr);
  const result = JSON.parse(run.stdout) as { status: string; reason: string };
  assert.deepEqual([result.status, result.reason], ['unknown', `cannot read pid file ${path}: permission denied (EACCES)`]);
});

// A FIFO would block open() in a libuv thread that even process.exit() waits for: it is refused at once.
test('probePidFile: unknown at once for a FIFO nobody writes (never blocks a thread)', async (t) => {
  const tmp = tempDir(t);
  const fifo = join(tmp.dir, 'hung.pid');
  execFileSync('mkfifo', [fifo]);
  const started = Date.now();
  const obs = await probePidFile(fifo, 60_000);
  const took = Date.now() - started;
  assert.equal(obs.result.status, 'unknown');
  assert.equal(obs.result.reason, `pid file ${fifo} is not a regular file (a FIFO, socket or device)`);
  // A blocked open() would end only at the 60 s probe timeout; refused at once takes a few ms.
  assert.ok(took < 10_000, `took ${took} ms`);
});

test('probePidFile: the pass scan answers for a pid it holds; /proc is read only for a pid it does not, argv[0] only when needed', async (t) => {
  const tmp = tempDir(t);
  // A proc tree of our own: pid 41 is in it, pid 42 only in the scan; 43 in both, with an argv[0] of another name.
  const procRoot = join(tmp.dir, 'proc');
  const statOf = (pid: number, comm: string): string => `${pid} (${comm}) S 1 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 777 0 0\n`;
  for (const [pid, comm, argv] of [
    [41, 'ondisk', '/usr/bin/ondisk\0'],
    [43, 'worker', '/opt/bin/other-name\0'],
  ] as const) {
    mkdirSync(join(procRoot, String(pid)), { recursive: true });
    put(join(procRoot, String(pid), 'stat'), statOf(pid, comm));
    put(join(procRoot, String(pid), 'cmdline'), argv);
  }
  const scanned = new Map([[42, { pid: 42, comm: 'inscan', argv0: 'inscan', state: 'S', startTicks: 5 }]]);
  const file = (pid: number): string => put(join(tmp.dir, `${pid}.pid`), `${pid}\n`);
  const inScan = await probePidFile(file(42), 2000, { procRoot, scanned });
  assert.equal(inScan.result.status, 'up', inScan.result.reason);
  assert.equal(inScan.process?.comm, 'inscan');
  const onDisk = await probePidFile(file(41), 2000, { procRoot, scanned });
  assert.deepEqual(onDisk.process, { pid: 41, comm: 'ondisk', state: 'S', startTicks: 777 }, 'no pname: argv[0] not read');
  const sameName = await probePidFile(file(41), 2000, { procRoot, pname: 'ondisk' });
  assert.equal(sameName.process?.argv0, undefined, 'comm is the pname: argv[0] not read');
  const otherName = await probePidFile(file(43), 2000, { procRoot, pname: 'other-name' });
  assert.equal(otherName.process?.argv0, 'other-name', 'comm is not the pname: argv[0] read');
});
