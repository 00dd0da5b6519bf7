// The parsed config is cached in the state directory: used only for the same bytes and build, never trusted
// when someone else could have written it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { configFixture, type ConfigFixture } from '../helpers/config-fixture.js';

const cacheOf = (state: string) => join(state, 'config-cache.json');

/** The cache file: one line of JSON, then the config's bytes as they were. */
function readCache(state: string): { doc: { build: string; path: string; config: { services: { script: string }[] } }; bytes: Buffer } {
  const file = readFileSync(cacheOf(state));
  const end = file.indexOf(0x0a);
  return { doc: JSON.parse(file.subarray(0, end).toString('utf8')), bytes: file.subarray(end + 1) };
}

/** Rewrites the cached script of the first service, keeping everything else: shows whether the cache is read. */
function tamper(state: string, script: string): void {
  const { doc, bytes } = readCache(state);
  doc.config.services[0]!.script = script;
  writeFileSync(cacheOf(state), Buffer.concat([Buffer.from(`${JSON.stringify(doc)}\n`), bytes]), { mode: 0o600 });
}

/** One dead service whose script touches `from-file`, restarted again on every pass. */
const writeWeb = (fx: ConfigFixture): string =>
  fx.write({ web: { pid_file: fx.path('web.pid'), script: `touch ${fx.path('from-file')}`, start_grace: '1ms' } });

test('a pass caches the parsed config and reuses it for the same bytes only', async (t) => {
  const fx = configFixture(t);
  const config = writeWeb(fx);
  assert.equal((await runCli(fx.args())).code, 1);
  assert.ok(existsSync(fx.path('from-file')));
  assert.equal(statSync(cacheOf(fx.state)).mode & 0o777, 0o600);
  const cached = readCache(fx.state);
  assert.match(cached.doc.build, /^\d+\.\d+\.\d+\+\w+$/);
  assert.equal(cached.doc.path, config);
  assert.ok(cached.bytes.equals(readFileSync(config)), 'the cache ends with the exact bytes of the config');

  tamper(fx.state, `touch ${fx.path('from-cache')}`);
  assert.equal((await runCli(fx.args())).code, 1);
  assert.ok(existsSync(fx.path('from-cache')), 'same text: the cached config was used, yaml not parsed');

  fx.writeText(`${readFileSync(config, 'utf8')}# edited\n`);
  tamper(fx.state, `touch ${fx.path('stale-cache')}`);
  const edited = await runCli(fx.args());
  assert.equal(edited.code, 1, edited.stdout + edited.stderr);
  assert.equal(existsSync(fx.path('stale-cache')), false, 'edited text: the cache is stale and not used');
});

test('a cache file others could write is ignored as root; validate never reads the cache', {
  skip: process.getuid?.() !== 0 && 'needs root',
}, async (t) => {
  const fx = configFixture(t);
  const config = writeWeb(fx);
  await runCli(fx.args());
  tamper(fx.state, `touch ${fx.path('from-cache')}`);
  chmodSync(cacheOf(fx.state), 0o666);
  assert.equal((await runCli(fx.args())).code, 1);
  assert.equal(existsSync(fx.path('from-cache')), false, 'a world-writable cache is not trusted');

  fx.writeText('web: [broken\n');
  assert.equal((await runCli(['validate', '--config', config])).code, 3);
});
