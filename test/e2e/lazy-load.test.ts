// Start-up cost: the bundle loads Node's HTTP stack only in a pass that probes a URL, not in every healthy pass.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundle, tempDir } from '../helpers/util.js';

const HTTP_STACK = ['http', 'https', 'tls'];

/** Runs the bundle with a preload that writes process.moduleLoadList at exit; returns the built-in modules loaded. */
async function builtinsLoaded(dir: string, args: string[]): Promise<{ code: number | null; modules: string[] }> {
  const list = join(dir, 'modules.txt');
  const preload = join(dir, 'record-modules.cjs');
  writeFileSync(preload, `process.on('exit', () => require('fs').writeFileSync(${JSON.stringify(list)}, process.moduleLoadList.join('\\n')));\n`);
  const child = spawn(process.execPath, ['--require', preload, bundle, ...args], { stdio: 'ignore' });
  const code = await new Promise<number | null>((resolve, reject) => child.on('error', reject).on('close', resolve));
  const modules = readFileSync(list, 'utf8').split('\n').filter((m) => m.startsWith('NativeModule ')).map((m) => m.slice('NativeModule '.length));
  return { code, modules };
}

test('a healthy pass with URL dependencies loads no http, https or tls; a pass that probes a URL does', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  writeFileSync(join(dir, 'up.pid'), `${process.pid}\n`);
  const dep = '  dep:\n    - name: web\n      url: https://127.0.0.1:1/health\n';
  const config = join(dir, 'conf.yaml');
  writeFileSync(config, `up:\n  pid_file: ${join(dir, 'up.pid')}\n  script: /bin/true\n${dep}`, { mode: 0o600 });
  const healthy = await builtinsLoaded(dir, ['--config', config, '--state-dir', join(dir, 'state')]);
  assert.equal(healthy.code, 0);
  assert.deepEqual(HTTP_STACK.filter((m) => healthy.modules.includes(m)), []);

  writeFileSync(config, `down:\n  pid_file: ${join(dir, 'none.pid')}\n  script: /bin/true\n${dep}`, { mode: 0o600 });
  const probing = await builtinsLoaded(dir, ['--config', config, '--state-dir', join(dir, 'state'), '--dry-run']);
  assert.equal(probing.code, 2, 'blocked: nothing listens on port 1');
  assert.deepEqual(HTTP_STACK.filter((m) => probing.modules.includes(m)), HTTP_STACK);
});
