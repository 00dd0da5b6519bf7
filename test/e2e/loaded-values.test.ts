// Escape sequences in values that are legal (pname, paths, script, URL) load and run a normal pass, and are
// escaped wherever the reports repeat them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { runCli } from '../helpers/cli.js';
import { configFixture } from '../helpers/config-fixture.js';
import { assertClean } from './clean-output.js';

/** Clear screen, set the window title, carriage return, C1 CSI and a right-to-left override, as YAML escapes. */
const EVIL = '\\e[2J\\e]0;owned\\a\\r\\x9b31m\\u202e';

function configFor(dir: string): string {
  return [
    'defaults:',
    `  log_dir: "${dir}/logs${EVIL}"`,
    'odd:',
    `  pname: "nope${EVIL}"`,
    `  pid_file: "${dir}/pid${EVIL}"`,
    `  script: "touch ${dir}/ran-odd # ${EVIL}"`,
    'blocked:',
    '  pname: autoheal-no-such-process',
    `  script: touch ${dir}/ran-blocked`,
    '  dep:',
    `    - name: "web"`,
    `      url: "http://127.0.0.1:1/${EVIL}"`,
    '',
  ].join('\n');
}

async function runBoth(t: TestContext): Promise<{
  dir: string;
  text: Awaited<ReturnType<typeof runCli>>;
  json: Awaited<ReturnType<typeof runCli>>;
}> {
  const fx = configFixture(t);
  const dir = fx.dir;
  const config = fx.writeText(configFor(dir));
  const args = (state: string): string[] => ['--config', config, '--state-dir', join(dir, state)];
  const [text, json] = await Promise.all([runCli([...args('state-text'), '--verbose']), runCli([...args('state-json'), '--json'])]);
  return { dir, text, json };
}

test('escape sequences in legal values are escaped in the text report', async (t) => {
  const { dir, text } = await runBoth(t);
  assertClean(text, 'text report');
  assert.equal(text.code, 2, text.stdout + text.stderr);
  assert.match(text.stdout, /^odd +restarted +pid file .*pid\\u001b\[2J\\u001b\]0;owned\\u0007\\r\\u009b31m\\u202e /m);
  assert.match(text.stdout, /log .*logs\\u001b\[2J\\u001b\]0;owned\\u0007\\r\\u009b31m\\u202e\/odd\.log/);
  assert.match(text.stdout, /^blocked +blocked +.*waiting for web/m);
  assert.doesNotMatch(text.stdout, /[\u202e]/);
  assert.ok(existsSync(join(dir, 'ran-odd')), 'the dead service was restarted');
  assert.equal(existsSync(join(dir, 'ran-blocked')), false, 'the blocked one was not');
});

test('escape sequences in legal values leave no raw control character in the JSON report', async (t) => {
  const { json } = await runBoth(t);
  assert.equal(json.code, 2, json.stdout + json.stderr);
  assert.equal((JSON.parse(json.stdout) as { services: unknown[] }).services.length, 2);
  assertClean(json, 'JSON report');
});
