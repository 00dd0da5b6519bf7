// Start-up cost: autoheal-once (the bundle, or the executable) loads Node's HTTP stack only in a pass that probes a URL, not in every healthy pass,
// node:v8 (to change V8 flags, which costs Node its built-in code cache) only for a big config, and child_process
// (the lock's flock(1)), net and the stream modules only in a pass that writes, runs or prints something.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { autoheal } from '../helpers/command.js';
import { configFixture } from '../helpers/config-fixture.js';
import { BIG_CONFIG_BYTES } from '../../src/util/heap.js';

const HTTP_STACK = ['http', 'https', 'tls'];

/**
 * Runs autoheal-once with a preload (NODE_OPTIONS, which the executable honours too) that writes
 * process.moduleLoadList at exit; returns the built-in modules loaded. stdout is a pipe, as under cron, or ignored.
 */
async function builtinsLoaded(
  dir: string,
  args: string[],
  stdout: 'ignore' | 'pipe' = 'ignore',
): Promise<{ code: number | null; modules: string[] }> {
  const list = join(dir, 'modules.txt');
  const preload = join(dir, 'record-modules.cjs');
  writeFileSync(preload, `process.on('exit', () => require('fs').writeFileSync(${JSON.stringify(list)}, process.moduleLoadList.join('\\n')));\n`);
  const env = { ...process.env, NODE_OPTIONS: `${process.env['NODE_OPTIONS'] ?? ''} --require ${JSON.stringify(preload)}` };
  const child = spawn(autoheal.file, autoheal.argv(args), { stdio: ['ignore', stdout, 'ignore'], env });
  child.stdout?.resume();
  const code = await new Promise<number | null>((resolve, reject) => child.on('error', reject).on('close', resolve));
  const modules = readFileSync(list, 'utf8')
    .split('\n')
    .filter((m) => m.startsWith('NativeModule '))
    .map((m) => m.slice('NativeModule '.length));
  return { code, modules };
}

test('a healthy pass with URL dependencies loads no http, https or tls; a pass that probes a URL does', async (t) => {
  const fx = configFixture(t);
  writeFileSync(fx.path('up.pid'), `${process.pid}\n`);
  const dep = [{ name: 'web', url: 'https://127.0.0.1:1/health' }];
  fx.write({ up: { pid_file: fx.path('up.pid'), script: '/bin/true', dep } });
  const healthy = await builtinsLoaded(fx.dir, fx.args());
  assert.equal(healthy.code, 0);
  assert.deepEqual(
    HTTP_STACK.filter((m) => healthy.modules.includes(m)),
    [],
  );

  fx.write({ down: { pid_file: fx.path('none.pid'), script: '/bin/true', dep } });
  const probing = await builtinsLoaded(fx.dir, fx.args('--dry-run'));
  assert.equal(probing.code, 2, 'blocked: nothing listens on port 1');
  assert.deepEqual(
    HTTP_STACK.filter((m) => probing.modules.includes(m)),
    HTTP_STACK,
  );
});

test('a healthy pass of a small config loads no node:v8 (no V8 flag changes); one of a big config does', async (t) => {
  const fx = configFixture(t);
  writeFileSync(fx.path('up.pid'), `${process.pid}\n`);
  fx.write({ up: { pid_file: fx.path('up.pid'), script: '/bin/true' } });
  const small = await builtinsLoaded(fx.dir, fx.args());
  assert.equal(small.code, 0);
  assert.equal(small.modules.includes('v8'), false, 'a small pass keeps the V8 flags as they were');

  // The same service, with a comment that makes the file as big as a config of hundreds of services.
  fx.writeText(`${readFileSync(fx.config, 'utf8')}#${'x'.repeat(BIG_CONFIG_BYTES)}\n`);
  const big = await builtinsLoaded(fx.dir, fx.args());
  assert.equal(big.code, 0);
  assert.equal(big.modules.includes('v8'), true, 'a big pass sets the heap flags');
});

test('a healthy pass under cron (stdout a pipe) that has nothing to record loads no child_process, net or stream', async (t) => {
  const fx = configFixture(t);
  writeFileSync(fx.path('up.pid'), `${process.pid}\n`);
  fx.write({ up: { pid_file: fx.path('up.pid'), script: '/bin/true' } });
  const ONE_WRITE = ['child_process', 'net', 'stream'];
  // The first pass records the service and caches the config: it takes the lock, with flock(1).
  const first = await builtinsLoaded(fx.dir, fx.args(), 'pipe');
  assert.equal(first.code, 0);
  assert.deepEqual(
    ONE_WRITE.filter((m) => first.modules.includes(m)),
    ONE_WRITE,
  );
  const steady = await builtinsLoaded(fx.dir, fx.args(), 'pipe');
  assert.equal(steady.code, 0);
  assert.deepEqual(
    ONE_WRITE.filter((m) => steady.modules.includes(m)),
    [],
    'a pass that writes and prints nothing has no use for them',
  );
});
