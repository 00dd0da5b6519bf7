// notify: the operator's command, told about each event once, through its environment and a JSON line on stdin.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { isAlive, waitFor } from '../helpers/util.js';
import { freePort, runCli } from '../helpers/cli.js';
import { configFixture } from '../helpers/config-fixture.js';

const lines = (path: string): string[] => (existsSync(path) ? readFileSync(path, 'utf8').split('\n').filter(Boolean) : []);

test('restarted, restart_failed, blocked once and recovered reach the command, with env and a JSON line', async (t) => {
  const fx = configFixture(t);
  const dir = fx.dir;
  const port = await freePort();
  const notify = `cat >> ${dir}/events.jsonl; echo "$AUTOHEAL_EVENT|$AUTOHEAL_SERVICE|$AUTOHEAL_HOST|$AUTOHEAL_REASON" >> ${dir}/env.txt`;
  fx.write(
    {
      ok: { pid_file: `${dir}/ok.pid`, script: 'exit 0', start_grace: '1h' },
      bad: { pid_file: `${dir}/bad.pid`, script: 'exit 7', notify: `cat >> ${dir}/bad-events.jsonl` },
      app: { pid_file: `${dir}/app.pid`, dep: [{ name: 'db', port }], script: 'exit 0' },
    },
    { notify },
  );
  const args = fx.args();
  assert.equal((await runCli(args)).code, 2);
  assert.equal((await runCli(args)).code, 2);
  const events = lines(join(dir, 'events.jsonl')).map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.deepEqual(events.map((e) => `${e.event} ${e.service}`).sort(), ['blocked app', 'restarted ok'], 'blocked told once over two passes');
  const blocked = events.find((e) => e.event === 'blocked')!;
  assert.deepEqual(blocked.dependency, { name: 'db', target: `tcp 127.0.0.1:${port}` });
  assert.equal(blocked.host, hostname());
  assert.match(String(blocked.at), /^\d{4}-\d\d-\d\dT/);
  assert.match(String(blocked.reason), /waiting for db \(tcp 127\.0\.0\.1:\d+\): connection refused/);
  const env = lines(join(dir, 'env.txt'));
  assert.ok(env.includes(`restarted|ok|${hostname()}|${events.find((e) => e.event === 'restarted')!.reason}`), env.join('\n'));
  const bad = lines(join(dir, 'bad-events.jsonl')).map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.deepEqual(
    bad.map((e) => e.event),
    ['restart_failed', 'restart_failed'],
    "a service's own notify replaces the default",
  );

  writeFileSync(join(dir, 'app.pid'), `${process.pid}\n`);
  await runCli(args);
  assert.ok(lines(join(dir, 'events.jsonl')).some((l) => /"event":"recovered","service":"app"/.test(l)));
});

test('a notify command that fails or hangs is a warning and is killed; the pass and its exit code go on', async (t) => {
  const fx = configFixture(t);
  const dir = fx.dir;
  fx.write(
    {
      a: { pid_file: `${dir}/a.pid`, script: 'exit 0', notify: `echo $$ > ${dir}/hung.pid; exec sleep 60` },
      b: { pid_file: `${dir}/b.pid`, script: 'exit 0', notify: 'echo mail server down >&2; exit 3' },
    },
    { notify_timeout: '1s' },
  );
  const run = await runCli(fx.args());
  assert.equal(run.code, 1, 'both were restarted: WARNING, whatever the notifications did');
  assert.match(run.stdout, /^warning: notify for a restarted: still running after 1000 ms; killed$/m);
  assert.match(run.stdout, /^warning: notify for b restarted: exited 3: mail server down$/m);
  const hung = Number(readFileSync(join(dir, 'hung.pid'), 'utf8'));
  await waitFor(() => !isAlive(hung), 'the hung notify command to be gone');
});
