// readState / writeState against real files: fresh starts with a warning, refusals, atomic 0600 writes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync, execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, truncateSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { StateError } from '../../src/errors.js';
import { MAX_STATE_BYTES, readState, sameState, writeState } from '../../src/state/store.js';
import type { State } from '../../src/plan/history.js';
import { tempDir } from '../helpers/util.js';

const sample: State = {
  version: 1,
  services: { db: { restarts: [{ at: 1_700_000_000_000, ok: true }], downSince: 1_700_000_000_000, backoffLevel: 0 } },
};

function setup(t: { after: (fn: () => void) => void }): { dir: string; file: string } {
  const tmp = tempDir(t);
  return { dir: tmp.dir, file: join(tmp.dir, 'state.json') };
}

const plain = (state: State): unknown => JSON.parse(JSON.stringify(state));

test('readState: no state file, or no state directory, is an empty state without a warning', async (t) => {
  const { dir } = setup(t);
  assert.deepEqual(plain((await readState(dir)).state), { version: 1, services: {} });
  assert.equal((await readState(dir)).warning, undefined);
  const missing = await readState(join(dir, 'not', 'there'));
  assert.deepEqual([plain(missing.state), missing.warning], [{ version: 1, services: {} }, undefined]);
});

test('writeState creates the directory 0700 and a 0600 file that reads back, leaving no temp file', async (t) => {
  const { dir } = setup(t);
  const stateDir = join(dir, 'autoheal');
  await writeState(stateDir, sample);
  assert.equal(statSync(stateDir).mode & 0o777, 0o700);
  assert.equal(statSync(join(stateDir, 'state.json')).mode & 0o777, 0o600);
  assert.deepEqual(readdirSync(stateDir), ['state.json']);
  const back = await readState(stateDir);
  assert.deepEqual([plain(back.state), back.warning], [sample, undefined]);
  const next: State = { version: 1, services: {} };
  await writeState(stateDir, next);
  assert.deepEqual(plain((await readState(stateDir)).state), next);
});

test('readState: a truncated, corrupt or wrong-version file is a warning naming the file, and an empty state', async (t) => {
  const { dir, file } = setup(t);
  const text = JSON.stringify(sample);
  const cases: [string | Buffer, string][] = [
    ['', 'Unexpected end of JSON input'],
    [text.slice(0, text.length - 1), "Expected ',' or '}' after property value in JSON at position"],
    ['{"version":2,"services":{}}', 'version: expected 1, found 2 (number)'],
    [text.replace('"ok":true', '"ok":"yes"'), 'services["db"].restarts[0].ok: expected a boolean, found "yes" (string)'],
    [Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), 'not UTF-8 text'],
  ];
  for (const [content, why] of cases) {
    writeFileSync(file, content);
    const { state, warning = '' } = await readState(dir);
    assert.deepEqual(plain(state), { version: 1, services: {} });
    assert.ok(warning.startsWith(`state file ${file} is corrupt (${why}`), warning);
    assert.ok(warning.endsWith('); starting fresh'), warning);
  }
});

test('readState: a file larger than the cap is corrupt and is not read into memory', async (t) => {
  const { dir, file } = setup(t);
  writeFileSync(file, '');
  truncateSync(file, MAX_STATE_BYTES + 1);
  const { warning } = await readState(dir);
  assert.equal(warning, `state file ${file} is corrupt (${MAX_STATE_BYTES + 1} bytes, more than ${MAX_STATE_BYTES}); starting fresh`);
});

test('readState: bytes of the file quoted in the warning cannot reach the terminal raw', async (t) => {
  const { dir, file } = setup(t);
  writeFileSync(file, '\u001b[2J\u001b]0;owned\u0007');
  const { warning = '' } = await readState(dir);
  assert.ok(warning.includes('\\u001b[2J'), warning);
  assert.doesNotMatch(warning, /[\u0000-\u001f\u007f]/);
});

test('readState: a directory, a symlink or a FIFO at state.json is a StateError (exit 3), at once', async (t) => {
  const { dir, file } = setup(t);
  mkdirSync(file);
  await assert.rejects(
    readState(dir),
    (e: unknown) => e instanceof StateError && e.exitCode === 3 && e.message === `cannot read state file ${file}: not a regular file`,
  );
  const other = tempDir(t);
  writeFileSync(join(other.dir, 'target'), JSON.stringify(sample));
  symlinkSync(join(other.dir, 'target'), join(other.dir, 'state.json'));
  await assert.rejects(readState(other.dir), {
    name: 'StateError',
    message: `cannot read state file ${join(other.dir, 'state.json')}: it is a symbolic link`,
  });
  const fifo = tempDir(t);
  execFileSync('mkfifo', [join(fifo.dir, 'state.json')]);
  await assert.rejects(readState(fifo.dir), {
    name: 'StateError',
    message: `cannot read state file ${join(fifo.dir, 'state.json')}: not a regular file`,
  });
});

test('readState: a state file it may not read is a StateError, not a fresh start (EACCES, as an unprivileged user)', async (t) => {
  const { dir, file } = setup(t);
  chmodSync(dir, 0o755);
  writeFileSync(file, JSON.stringify(sample), { mode: 0o600 });
  chmodSync(file, 0o000);
  const moduleUrl = new URL('../../src/state/store.js', import.meta.url).href;
  const script = `import(${JSON.stringify(moduleUrl)}).then((m) => m.readState(${JSON.stringify(dir)})).then(
    (r) => process.stdout.write(JSON.stringify(r)),
    (e) => process.stdout.write(JSON.stringify({ name: e.name, exitCode: e.exitCode, message: e.message })));`;
  // Root reads any file (CAP_DAC_OVERRIDE): readState runs in a child as `nobody` to get a real EACCES.
  const asRoot = process.getuid?.() === 0;
  const run = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 10_000, ...(asRoot ? { uid: 65534, gid: 65534 } : {}) });
  assert.equal(run.status, 0, run.stderr);
  const error = JSON.parse(run.stdout) as { name: string; exitCode: number; message: string };
  assert.equal(error.name, 'StateError');
  assert.equal(error.exitCode, 3);
  assert.match(error.message, new RegExp(`^cannot read state file ${file}: EACCES`));
});

test('writeState refuses a state that would not read back, and keeps the old file', async (t) => {
  const { dir, file } = setup(t);
  await writeState(dir, sample);
  const before = readFileSync(file, 'utf8');
  const broken = { version: 1, services: { db: { ...sample.services.db!, backoffLevel: Number.NaN } } } as State;
  await assert.rejects(writeState(dir, broken), {
    name: 'StateError',
    message: `refusing to write an invalid state to ${file}: services["db"].backoffLevel: expected an integer >= 0, found null`,
  });
  assert.equal(readFileSync(file, 'utf8'), before);
  assert.deepEqual(readdirSync(dir), ['state.json']);
});

test('writeState: a state directory it cannot create is a StateError', async (t) => {
  const { dir } = setup(t);
  writeFileSync(join(dir, 'file'), '');
  await assert.rejects(writeState(join(dir, 'file', 'autoheal'), sample), (e: unknown) => e instanceof StateError && /ENOTDIR/.test(e.message));
});

test('writeState removes temp files of dead writers and old ones, and keeps a live writer fresh one', async (t) => {
  const { dir } = setup(t);
  const dead = spawnSync(process.execPath, ['-e', '']).pid!;
  const live = process.ppid;
  const old = process.ppid === 1 ? 2 : 1;
  for (const pid of [dead, live, old]) writeFileSync(join(dir, `state.json.${pid}.x1.tmp`), '{"half');
  const twoMinutesAgo = new Date(Date.now() - 120_000);
  utimesSync(join(dir, `state.json.${old}.x1.tmp`), twoMinutesAgo, twoMinutesAgo);
  writeFileSync(join(dir, 'state.json.backup'), 'kept: not a temp file name');
  await writeState(dir, sample);
  assert.deepEqual(readdirSync(dir).sort(), ['state.json', 'state.json.backup', `state.json.${live}.x1.tmp`].sort());
  assert.deepEqual(plain((await readState(dir)).state), sample);
});

test('sameState: the same histories in another service order are the same state; any changed field is not', () => {
  const h = (extra: Partial<State['services'][string]> = {}) => ({ restarts: [{ at: 5, ok: true }], backoffLevel: 0, healthySince: 9, ...extra });
  const a: State = { version: 1, services: { web: h(), db: h() } };
  const reordered: State = { version: 1, services: { db: h(), web: h() } };
  assert.equal(sameState(a, reordered), true);
  for (const changed of [
    { healthySince: 10 },
    { downSince: 3 },
    { backoffUntil: 7 },
    { backoffLevel: 1 },
    { restarts: [{ at: 5, ok: false }] },
    { restarts: [{ at: 6, ok: true }] },
    { restarts: [] },
    { unhealthyPasses: 1 },
    { dependencyDown: 'db' },
    { cpuSample: { pid: 1, cpuTimeMs: 2, at: 3 } },
  ]) {
    assert.equal(sameState(a, { version: 1, services: { web: h(), db: h(changed) } }), false, JSON.stringify(changed));
  }
  assert.equal(sameState(a, { version: 1, services: { web: h() } }), false, 'a service dropped');
  assert.equal(sameState(a, { version: 1, services: { web: h(), cache: h() } }), false, 'a service renamed');
});
