// The parsed config is cached in the state directory: used only for the same text and build, never trusted
// when someone else could have written it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../helpers/util.js';
import { runCli, writeConfig } from '../helpers/cli.js';

const cacheOf = (state: string) => join(state, 'config-cache.json');

/** Rewrites the cached script of the first service, keeping everything else: shows whether the cache is read. */
function tamper(state: string, script: string): void {
  const doc = JSON.parse(readFileSync(cacheOf(state), 'utf8'));
  doc.config.services[0].script = script;
  writeFileSync(cacheOf(state), JSON.stringify(doc), { mode: 0o600 });
}

test('a pass caches the parsed config and reuses it for the same text only', async () => {
  const { dir, cleanup } = tempDir();
  try {
    const state = join(dir, 'state');
    const config = writeConfig(dir, `web:\n  pid_file: ${dir}/web.pid\n  script: touch ${dir}/from-file\n  start_grace: 1ms\n`);
    const args = ['--config', config, '--state-dir', state];
    assert.equal((await runCli(args)).code, 1);
    assert.ok(existsSync(join(dir, 'from-file')));
    assert.equal(statSync(cacheOf(state)).mode & 0o777, 0o600);
    const cached = JSON.parse(readFileSync(cacheOf(state), 'utf8'));
    assert.match(cached.build, /^\d+\.\d+\.\d+\+\w+$/);
    assert.equal(cached.text, readFileSync(config, 'utf8'));

    tamper(state, `touch ${dir}/from-cache`);
    assert.equal((await runCli(args)).code, 1);
    assert.ok(existsSync(join(dir, 'from-cache')), 'same text: the cached config was used, yaml not parsed');

    writeFileSync(config, `${readFileSync(config, 'utf8')}# edited\n`);
    tamper(state, `touch ${dir}/stale-cache`);
    const edited = await runCli(args);
    assert.equal(edited.code, 1, edited.stdout + edited.stderr);
    assert.equal(existsSync(join(dir, 'stale-cache')), false, 'edited text: the cache is stale and not used');
  } finally {
    cleanup();
  }
});

test('a cache file others could write is ignored as root; validate never reads the cache', { skip: process.getuid?.() !== 0 && 'needs root' }, async () => {
  const { dir, cleanup } = tempDir();
  try {
    const state = join(dir, 'state');
    const config = writeConfig(dir, `web:\n  pid_file: ${dir}/web.pid\n  script: touch ${dir}/from-file\n  start_grace: 1ms\n`);
    const args = ['--config', config, '--state-dir', state];
    await runCli(args);
    tamper(state, `touch ${dir}/from-cache`);
    chmodSync(cacheOf(state), 0o666);
    assert.equal((await runCli(args)).code, 1);
    assert.equal(existsSync(join(dir, 'from-cache')), false, 'a world-writable cache is not trusted');

    writeFileSync(config, 'web: [broken\n', { mode: 0o600 });
    assert.equal((await runCli(['validate', '--config', config])).code, 3);
  } finally {
    cleanup();
  }
});
