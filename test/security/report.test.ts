// Two report defects: usage attached to the wrong process, and the exit code of an interrupted pass.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer, type Socket } from 'node:net';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixture, isAlive, killPid, startChild, waitFor } from '../helpers/util.js';
import { autoheal } from '../helpers/command.js';
import { runCli } from '../helpers/cli.js';
import { configFixture } from '../helpers/config-fixture.js';

test('--json attaches usage only to the healthy service whose process it is, never to a down one naming a reused pid', async (t) => {
  const fx = configFixture(t);
  const dir = fx.dir;
  const child = startChild(process.execPath, [fixture('bin', 'fake-service.mjs'), '--name', 'real-one', '--pid-file', join(dir, 'a.pid')]);
  fx.defer(() => killPid(child.pid!));
  await waitFor(() => {
    try {
      return Number(readFileSync(join(dir, 'a.pid'), 'utf8')) === child.pid;
    } catch {
      return false;
    }
  }, 'the service to write its pid file');
  // b.pid is stale: its pid now belongs to a process that is not b's.
  writeFileSync(join(dir, 'b.pid'), `${child.pid}\n`);
  fx.write({
    a: { pid_file: `${dir}/a.pid`, script: 'true' },
    b: { pid_file: `${dir}/b.pid`, pname: 'not-this-one', script: 'true' },
  });
  const run = await runCli(fx.args('--dry-run', '--json'));
  const doc = JSON.parse(run.stdout) as { services: { name: string; state: string; usage?: unknown }[] };
  const a = doc.services.find((s) => s.name === 'a')!;
  const b = doc.services.find((s) => s.name === 'b')!;
  assert.equal(a.state, 'healthy');
  assert.ok(a.usage, 'the healthy service has its usage');
  assert.equal(b.state, 'would_restart');
  assert.equal(b.usage, undefined, "a down service got another process's usage");
});

test('a pass interrupted by SIGTERM while a service is blocked exits 2: the worst service decides', async (t) => {
  const fx = configFixture(t);
  const dir = fx.dir;
  // An HTTP dependency that accepts and never answers: not ready until its probe times out.
  const sockets = new Set<Socket>();
  const server = createServer((s) => sockets.add(s));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  fx.defer(async () => {
    for (const s of sockets) s.destroy();
    await new Promise((r) => server.close(r));
  });
  const port = (server.address() as { port: number }).port;
  let pid: number | undefined;
  fx.defer(() => pid && isAlive(pid) && killPid(pid));
  const config = fx.write({
    web: { pid_file: `${dir}/web.pid`, script: 'true', dep: [{ name: 'db', url: `http://127.0.0.1:${port}/ready`, timeout: '2s' }] },
  });
  const pass = spawn(autoheal.file, autoheal.argv(['--config', config, '--state-dir', join(dir, 'state')]), { stdio: ['ignore', 'pipe', 'pipe'] });
  pid = pass.pid;
  let out = '';
  pass.stdout.on('data', (d) => (out += d));
  pass.stderr.on('data', (d) => (out += d));
  const closed = new Promise<number | null>((r) => pass.on('close', r));
  await waitFor(() => sockets.size > 0, 'the pass to probe db', 20_000);
  pass.kill('SIGTERM');
  const code = await closed;
  assert.match(out, /^web\s+blocked\s/m, out);
  assert.match(out, /interrupted by SIGTERM/, out);
  assert.equal(code, 2, out);
});
