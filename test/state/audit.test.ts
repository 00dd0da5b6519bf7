// appendAudit against real files: append-only JSON lines, rotation at the cap, two processes appending at once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { appendAudit, type AuditEvent } from '../../src/state/audit.js';
import { fixture, killPid, tempDir, waitFor } from '../helpers/util.js';

const at = '2024-05-01T12:00:00.000Z';
const event = (service: string, n: number): AuditEvent => ({ at, service, event: 'restart_started', reason: `attempt ${n}` });

const lines = (path: string): Record<string, unknown>[] =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);

test('appendAudit creates the directory 0700 and audit.log 0600 with one JSON line per event', async (t) => {
  const dir = join(tempDir(t).dir, 'state');
  await appendAudit(dir, [event('db', 1), { at, service: 'db', event: 'restart_failed', exitCode: 1, durationMs: 12, log: '/l/db.log' }]);
  assert.equal(statSync(dir).mode & 0o777, 0o700);
  assert.equal(statSync(join(dir, 'audit.log')).mode & 0o777, 0o600);
  assert.deepEqual(lines(join(dir, 'audit.log')), [
    { at, service: 'db', event: 'restart_started', reason: 'attempt 1' },
    { at, service: 'db', event: 'restart_failed', exitCode: 1, durationMs: 12, log: '/l/db.log' },
  ]);
});

test('appendAudit only appends: earlier bytes stay as they were; no events, no file', async (t) => {
  const dir = tempDir(t).dir;
  await appendAudit(dir, []);
  assert.equal(existsSync(join(dir, 'audit.log')), false);
  await appendAudit(dir, [event('a', 1)]);
  const before = readFileSync(join(dir, 'audit.log'));
  await appendAudit(dir, [event('b', 2), event('c', 3)]);
  const after = readFileSync(join(dir, 'audit.log'));
  assert.deepEqual(after.subarray(0, before.length), before);
  assert.deepEqual(
    lines(join(dir, 'audit.log')).map((l) => l.service),
    ['a', 'b', 'c'],
  );
});

test('appendAudit rotates to audit.log.1 before the cap is passed, replacing the older one', async (t) => {
  const dir = tempDir(t).dir;
  const log = join(dir, 'audit.log');
  const cap = 1000;
  const all: number[] = [];
  for (let n = 0; n < 40; n++) {
    await appendAudit(dir, [event('svc', n)], cap);
    all.push(n);
    assert.ok(statSync(log).size <= cap, `audit.log ${statSync(log).size} bytes after event ${n}`);
  }
  assert.deepEqual(readdirSync(dir).sort(), ['audit.log', 'audit.log.1']);
  const kept = [...lines(`${log}.1`), ...lines(log)].map((l) => l.reason);
  // What is kept is the most recent events, in order, with no gap and nothing repeated.
  assert.deepEqual(
    kept,
    all.slice(all.length - kept.length).map((n) => `attempt ${n}`),
  );
  assert.ok(statSync(`${log}.1`).size > cap / 2, 'the rotated file was nearly full');
  assert.ok(kept.length < 40, 'older events were dropped');
});

test('appendAudit refuses a symlink planted at audit.log and leaves its target alone', async (t) => {
  const dir = tempDir(t).dir;
  writeFileSync(join(dir, 'target'), 'precious\n');
  symlinkSync(join(dir, 'target'), join(dir, 'audit.log'));
  await assert.rejects(appendAudit(dir, [event('db', 1)]), {
    name: 'StateError',
    message: new RegExp(`^cannot append to audit log ${join(dir, 'audit.log')}: ELOOP`),
  });
  assert.equal(readFileSync(join(dir, 'target'), 'utf8'), 'precious\n');
});

test('two processes appending at once never interleave within a line', async (t) => {
  const dir = tempDir(t).dir;
  const auditModule = fileURLToPath(new URL('../../src/state/audit.js', import.meta.url));
  const batches = 300;
  // Each writer waits after its first batch until the other has appended: they overlap however slow the machine.
  const children = [
    ['A', 'B'],
    ['B', 'A'],
  ].map(([tag, peer]) =>
    spawn(process.execPath, [fixture('bin', 'append-audit.mjs'), auditModule, dir, tag!, String(batches), peer!], {
      stdio: ['ignore', 'ignore', 'inherit'],
    }),
  );
  for (const child of children) t.after(() => killPid(child.pid!));
  await waitFor(() => children.every((c) => c.exitCode !== null), 'both writers to finish', 60_000);
  assert.deepEqual(
    children.map((c) => c.exitCode),
    [0, 0],
  );
  const text = readFileSync(join(dir, 'audit.log'), 'utf8');
  const parsed = text
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { service: string; reason: string });
  assert.equal(parsed.length, 2 * batches * 3);
  for (const tag of ['A', 'B']) {
    const seqs = parsed.filter((l) => l.service === tag).map((l) => Number(l.reason.split(' ')[1]));
    assert.deepEqual(
      seqs,
      Array.from({ length: batches * 3 }, (_, i) => i),
      `${tag}'s lines, whole and in order`,
    );
  }
  const switches = parsed.filter((l, i) => i > 0 && l.service !== parsed[i - 1]!.service).length;
  assert.ok(switches > 1, `the writers ran at the same time (${switches} switches)`);
});
