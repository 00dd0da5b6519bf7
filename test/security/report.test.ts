// Two report defects: usage attached to the wrong process, and the exit code of an interrupted pass.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer, type Socket } from 'node:net';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixture, isAlive, killPid, startChild, tempDir, waitFor } from '../helpers/util.js';
import { autoheal } from '../helpers/command.js';
import { runCli, writeConfig } from '../helpers/cli.js';

test('--json attaches usage only to the healthy service whose process it is, never to a down one naming a reused pid', async () => {
  const { dir, cleanup } = tempDir();
  const child = startChild(process.execPath, [fixture('bin', 'fake-service.mjs'), '--name', 'real-one', '--pid-file', join(dir, 'a.pid')]);
  try {
    await waitFor(() => {
      try {
        return Number(readFileSync(join(dir, 'a.pid'), 'utf8')) === child.pid;
      } catch {
        return false;
      }
    }, 'the service to write its pid file');
    // b.pid is stale: its pid now belongs to a process that is not b's.
    writeFileSync(join(dir, 'b.pid'), `${child.pid}\n`);
    const config = writeConfig(
      dir,
      `a:\n  pid_file: ${dir}/a.pid\n  script: 'true'\nb:\n  pid_file: ${dir}/b.pid\n  pname: not-this-one\n  script: 'true'\n`,
    );
    const run = await runCli(['--config', config, '--state-dir', join(dir, 'state'), '--dry-run', '--json']);
    const doc = JSON.parse(run.stdout) as { services: { name: string; state: string; usage?: unknown }[] };
    const a = doc.services.find((s) => s.name === 'a')!;
    const b = doc.services.find((s) => s.name === 'b')!;
    assert.equal(a.state, 'healthy');
    assert.ok(a.usage, 'the healthy service has its usage');
    assert.equal(b.state, 'would_restart');
    assert.equal(b.usage, undefined, "a down service got another process's usage");
  } finally {
    await killPid(child.pid!);
    cleanup();
  }
});

test('a pass interrupted by SIGTERM while a service is blocked exits 2: the worst service decides', async () => {
  const { dir, cleanup } = tempDir();
  // An HTTP dependency that accepts and never answers: not ready until its probe times out.
  const sockets = new Set<Socket>();
  const server = createServer((s) => sockets.add(s));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  let pid: number | undefined;
  try {
    const config = writeConfig(
      dir,
      `web:\n  pid_file: ${dir}/web.pid\n  script: 'true'\n  dep:\n    - name: db\n      url: http://127.0.0.1:${port}/ready\n      timeout: 2s\n`,
    );
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
  } finally {
    if (pid && isAlive(pid)) await killPid(pid);
    for (const s of sockets) s.destroy();
    await new Promise((r) => server.close(r));
    cleanup();
  }
});
