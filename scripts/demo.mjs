#!/usr/bin/env node
// The demo: three real services (db <- api <- web) in a temp dir, a "power cut", then passes of
// autoheal-once as cron would run them, healing in dependency order; then an app that came up before its
// database and runs broken, healed once the database answers. Every process it starts is stopped by pid at the end.
import { spawn } from 'node:child_process';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
// The single executable that ships, as cron runs it; the bundle with this node when the build packed none.
const binary = join(root, 'dist', 'autoheal-once');
const autoheal = existsSync(binary) ? [binary] : [process.execPath, join(root, 'dist', 'autoheal-once.cjs')];
const service = join(root, 'fixtures', 'bin', 'fake-service.mjs');
const brokenApp = join(root, 'fixtures', 'bin', 'broken-app.mjs');
const dir = mkdtempSync(join(tmpdir(), 'autoheal-demo-'));
const names = ['db', 'api', 'web', 'store', 'app'];

const freePort = () =>
  new Promise((done) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => done(port));
    });
  });
const pidOf = (name) => {
  try {
    return Number(readFileSync(join(dir, `${name}.pid`), 'utf8')) || undefined;
  } catch {
    return undefined;
  }
};
const alive = (pid) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const start = (name, extra) => `${process.execPath} ${service} --name demo-${name} --pid-file ${dir}/${name}.pid ${extra} &`;

const [dbPort, apiPort] = [await freePort(), await freePort()];
const config = join(dir, 'conf.yaml');
writeFileSync(
  config,
  `# db <- api <- web: api needs db's port, web needs api's health URL.
db:
    pid_file: ${dir}/db.pid
    script: ${start('db', `--port ${dbPort} --delay-ms 300`)}
api:
    pid_file: ${dir}/api.pid
    dep:
        - name: db
          host: 127.0.0.1
          port: ${dbPort}
    script: ${start('api', `--port ${apiPort} --http --delay-ms 300`)}
web:
    pname: demo-web
    dep:
        - name: api
          url: http://127.0.0.1:${apiPort}/health
    script: ${start('web', '')}
`,
  { mode: 0o600 },
);

// The alive-but-broken story: `app` needs `store`; started before it, app keeps answering 503 until restarted.
const [storePort, appPort] = [await freePort(), await freePort()];
const appCommand = `${process.execPath} ${brokenApp} --name demo-app --db-port ${storePort} --port ${appPort} --pid-file ${dir}/app.pid`;
const brokenConfig = join(dir, 'broken.yaml');
writeFileSync(
  brokenConfig,
  `# app needs store; started before store answered, app runs but answers 503 for good.
store:
    pid_file: ${dir}/store.pid
    script: ${start('store', `--port ${storePort} --delay-ms 300`)}
app:
    pid_file: ${dir}/app.pid
    check:
        url: http://127.0.0.1:${appPort}/health
    restart_on_dependency_recovery: true
    dep:
        - name: store
          host: 127.0.0.1
          port: ${storePort}
    script: ${appCommand} &
`,
  { mode: 0o600 },
);

let passNo = 0;
function pass(extra = [], file = config) {
  passNo += 1;
  const args = [...autoheal.slice(1), '--config', file, '--state-dir', join(dir, file === config ? 'state' : 'state-broken'), ...extra];
  console.log(`\n$ autoheal-once --config ${file} ${extra.join(' ')}       # pass ${passNo}, as cron runs it every minute`);
  const run = spawnSync(autoheal[0], args, { encoding: 'utf8' });
  process.stdout.write(run.stdout || '(no output: all healthy)\n');
  process.stderr.write(run.stderr);
  console.log(`exit ${run.status}`);
  return run.status;
}

/**
 * Passes until one reports all healthy; a short wait stands in for the cron minute. Bounded by time, not by a count
 * of passes: on a loaded machine a service takes longer to come up, so more passes find it still starting.
 */
async function heal(file = config) {
  const deadline = Date.now() + 60_000;
  while (pass([], file) !== 0) {
    if (Date.now() > deadline) throw new Error(`the demo did not converge in 60 s (${passNo} passes)`);
    await sleep(800);
  }
}

try {
  console.log(`Demo config (${config}):\n${readFileSync(config, 'utf8')}`);
  console.log('1. Power comes back: nothing runs. Each pass restarts only what has its dependencies ready.');
  await heal();
  const victims = ['db', 'api'].map((n) => [n, pidOf(n)]);
  console.log(`\n2. Crash: killing ${victims.map(([n, p]) => `${n} (pid ${p})`).join(' and ')}.`);
  for (const [, pid] of victims) if (pid) process.kill(pid, 'SIGKILL');
  for (const [, pid] of victims) while (pid && alive(pid)) await sleep(20);
  await heal();
  console.log('\nHealed in dependency order: db first, then api once db answered, then web once api did.');
  const all = names.map((n) => [n, pidOf(n)]);
  console.log(`\n3. Power cut again: killing ${all.map(([n, p]) => `${n} (pid ${p})`).join(', ')}. This time one run with --converge:`);
  console.log('   it keeps going in rounds and starts each service as soon as what it needs answers.');
  for (const [, pid] of all) if (pid) process.kill(pid, 'SIGKILL');
  for (const [, pid] of all) while (pid && alive(pid)) await sleep(20);
  if (pass(['--converge', '30']) !== 1) throw new Error('the converging run did not heal everything');
  await heal();
  console.log('\nThe whole chain came back in one run, each service in the round after its dependency answered.');
  console.log(`\n4. Alive but broken (${brokenConfig}): init starts app before store, so app runs but answers 503.`);
  console.log(`${readFileSync(brokenConfig, 'utf8')}`);
  spawn(process.execPath, appCommand.split(' ').slice(1), { detached: true, stdio: 'ignore' }).unref();
  while (!pidOf('app')) await sleep(20);
  await heal(brokenConfig);
  console.log('\nstore was restarted first while app was blamed on it, then app was restarted once store answered: it works.');
} finally {
  for (const name of names) {
    const pid = pidOf(name);
    if (pid && alive(pid)) process.kill(pid, 'SIGTERM');
  }
  rmSync(dir, { recursive: true, force: true });
  console.log('\nDemo services stopped; temp dir removed.');
}
