// Start-up cost: the bundle loads Node's HTTP stack only in a pass that probes a URL, not in every healthy pass.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundle } from '../helpers/util.js';
import { configFixture } from '../helpers/config-fixture.js';

const HTTP_STACK = ['http', 'https', 'tls'];

/** Runs the bundle with a preload that writes process.moduleLoadList at exit; returns the built-in modules loaded. */
async function builtinsLoaded(dir: string, args: string[]): Promise<{ code: number | null; modules: string[] }> {
  const list = join(dir, 'modules.txt');
  const preload = join(dir, 'record-modules.cjs');
  writeFileSync(preload, `process.on('exit', () => require('fs').writeFileSync(${JSON.stringify(list)}, process.moduleLoadList.join('\\n')));\n`);
  const child = spawn(process.execPath, ['--require', preload, bundle, ...args], { stdio: 'ignore' });
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
