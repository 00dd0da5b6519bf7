// Service names that are odd but legal load and run a normal pass; the text report escapes what could fool the
// reader's terminal, the JSON report stays valid and keeps every name exact, and no restart log leaves its directory.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { runCli, type CliRun } from '../helpers/cli.js';
import { configFixture, type ServiceSpec } from '../helpers/config-fixture.js';
import { assertClean } from './clean-output.js';

/** Each name as written in the config, and as the text report must show it. */
const NAMES: readonly [string, string][] = [
  ['rtl\u202eevil', 'rtl\\u202eevil'],
  ['isolate\u2066x\u2069', 'isolate\\u2066x\\u2069'],
  ['line\u2028separator', 'line\\u2028separator'],
  ['lone\ud800surrogate', 'lone\\ud800surrogate'],
  ['back\\slash', 'back\\\\slash'],
  ['../../escape', '../../escape'],
  ['emoji \ud83d\ude00', 'emoji \ud83d\ude00'],
];

/** Bidi controls, line separators and lone surrogates: what printable() promises never to print raw. */
const UNSAFE = /[\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** A dead service by each name (entries, so that `__proto__` is a key like any other), each leaving its own marker. */
function servicesFor(names: readonly string[], dir: string): Record<string, ServiceSpec> {
  return Object.fromEntries(names.map((name, i) => [name, { pname: `autoheal-no-such-process-${i}`, script: `touch ${join(dir, `ran-${i}`)}` }]));
}

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Writes a config of `names` in a fresh dir, and runs one pass in text and one in JSON, each with its own state directory. */
async function runBoth(t: TestContext, names: readonly string[]): Promise<{ dir: string; text: CliRun; json: CliRun }> {
  const fx = configFixture(t);
  const dir = fx.dir;
  const config = fx.write(servicesFor(names, dir));
  const args = (state: string): string[] => ['--config', config, '--state-dir', join(dir, state)];
  const [text, json] = await Promise.all([runCli(args('state-text')), runCli([...args('state-json'), '--json'])]);
  return { dir, text, json };
}

test('odd but legal service names load, are escaped in the text report and exact in valid JSON', async (t) => {
  const { dir, text, json } = await runBoth(
    t,
    NAMES.map(([name]) => name),
  );
  assertClean(text, 'text report');
  assertClean(json, 'JSON report');
  assert.equal(text.code, 1, text.stdout + text.stderr);
  assert.doesNotMatch(text.stdout, UNSAFE);
  for (const [, shown] of NAMES) assert.match(text.stdout, new RegExp(`^${escapeRegExp(shown)} +restarted `, 'm'), shown);
  const doc = JSON.parse(json.stdout) as { exitCode: number; services: { name: string; state: string }[] };
  assert.equal(doc.exitCode, 1);
  assert.deepEqual(
    doc.services.map((s) => [s.name, s.state]),
    NAMES.map(([name]) => [name, 'restarted']),
  );
  for (const state of ['state-text', 'state-json']) {
    assert.equal(readdirSync(join(dir, state, 'logs')).filter((f) => f.endsWith('.log')).length, NAMES.length, 'one log per service, in the log dir');
  }
  assert.deepEqual(readdirSync(dir).filter((f) => f.startsWith('ran-')).length, NAMES.length);
});

// A name that is also a property of every plain object must be a service like any other, in the state too.
test('services named __proto__, constructor and toString are restarted, then remembered as starting', async (t) => {
  const names = ['__proto__', 'constructor', 'toString'];
  const { dir, text, json } = await runBoth(t, names);
  assertClean(text, 'text report');
  assert.equal(text.code, 1, text.stdout + text.stderr);
  for (const name of names) assert.match(text.stdout, new RegExp(`^${name} +restarted `, 'm'));
  assert.deepEqual(
    (JSON.parse(json.stdout) as { services: { name: string }[] }).services.map((s) => s.name),
    names,
  );
  const again = await runCli(['--config', join(dir, 'conf.yaml'), '--state-dir', join(dir, 'state-json'), '--json']);
  const states = (JSON.parse(again.stdout) as { services: { name: string; state: string }[] }).services.map((s) => [s.name, s.state]);
  assert.deepEqual(
    states,
    names.map((name) => [name, 'starting']),
    'the next pass found each one in the state',
  );
});

// Invisible format characters let two names look the same (`db` and `d<U+00AD>b`); the reader should see them.
test('invisible format characters in names are shown escaped', async (t) => {
  const names = ['soft\u00adhyphen', 'zero\u200bwidth', 'word\u2060joiner', 'bom\ufeffinside'];
  const { text } = await runBoth(t, names);
  assert.equal(text.code, 1, text.stdout + text.stderr);
  assert.doesNotMatch(text.stdout, /[\u00ad\u200b\u2060\ufeff]/);
});
