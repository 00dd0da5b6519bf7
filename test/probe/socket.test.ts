// Unix socket readiness against real sockets in a temp dir: listening, refused (a stale socket file), missing,
// a full accept queue, and a path that is not a socket.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { probeSocket } from '../../src/probe/socket.js';
import { killPid, startChild, tempDir, waitFor } from '../helpers/util.js';

/** A child listening on `path` with a backlog of 1 that never accepts (its event loop is blocked). */
function blockedListener(path: string): number {
  const code = `const s = require('net').createServer();
s.listen({ path: ${JSON.stringify(path)}, backlog: 1 }, () => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0));`;
  return startChild(process.execPath, ['-e', code]).pid!;
}

test('probeSocket: up when a server listens on the path', async (t) => {
  const tmp = tempDir(t);
  const path = join(tmp.dir, 'db.sock');
  let accepted = 0;
  const server = createServer((s) => (accepted++, s.end()));
  await new Promise<void>((resolve) => server.listen(path, resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const result = await probeSocket(path, 2000);
  assert.equal(result.status, 'up');
  assert.match(result.reason, new RegExp(`^connected to ${path} in \\d+ ms$`));
  await waitFor(() => accepted === 1, 'the server to see the connection');
});

test('probeSocket: down "connection refused" on a socket file whose listener died (a stale socket)', async (t) => {
  const tmp = tempDir(t);
  const path = join(tmp.dir, 'db.sock');
  const pid = blockedListener(path);
  t.after(() => killPid(pid));
  await waitFor(() => existsSync(path), 'the socket file');
  await killPid(pid);
  // The socket closes as the process is torn down: poll until the probe sees it.
  const result = await waitFor(
    async () => {
      const r = await probeSocket(path, 2000);
      return r.status === 'down' ? r : undefined;
    },
    'the probe to see the stale socket',
    15_000,
  );
  assert.deepEqual([result!.status, result!.reason], ['down', `connection refused by ${path} (a socket nobody listens on)`]);
});

test('probeSocket: down when no socket exists, or the path is a plain file', async (t) => {
  const tmp = tempDir(t);
  const missing = await probeSocket(join(tmp.dir, 'nothing.sock'), 2000);
  assert.deepEqual([missing.status, missing.reason], ['down', `no socket at ${join(tmp.dir, 'nothing.sock')}`]);
  const file = join(tmp.dir, 'file');
  writeFileSync(file, 'x');
  const plain = await probeSocket(file, 2000);
  assert.equal(plain.status, 'down');
});

test('probeSocket: a listener that never accepts fills its queue, then answers down at once, not at the timeout', async (t) => {
  const tmp = tempDir(t);
  const path = join(tmp.dir, 'busy.sock');
  const pid = blockedListener(path);
  t.after(() => killPid(pid));
  await waitFor(() => existsSync(path), 'the socket file');
  // The kernel queues connections the server has not accepted yet: those count as up, as a TCP SYN-ACK does.
  const results = [];
  for (let i = 0; i < 6; i++) results.push(await probeSocket(path, 30_000));
  assert.equal(results[0]!.status, 'up');
  const full = results.find((r) => r.status === 'down');
  assert.ok(full, `a full queue was reached: ${JSON.stringify(results)}`);
  assert.equal(full.reason, `${path} is not accepting connections (its queue is full)`);
  assert.ok(full.ms < 10_000, `answered in ${full.ms} ms`);
});
