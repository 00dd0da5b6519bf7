// Hostile configs through the built CLI: each is refused with exit 3 and a message, quickly, with no stack trace,
// nothing run and nothing written to the terminal that could move the cursor or retitle the window.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../helpers/util.js';
import { runCli } from '../helpers/cli.js';
import { configFixture } from '../helpers/config-fixture.js';
import { assertClean, MAX_RUN_MS } from './clean-output.js';
import { nasties } from './hostile-configs.js';

// The configs are made once, so every script in them touches one marker, in a dir of its own.
const { dir: root, cleanup } = tempDir('autoheal-hostile-');
test.after(cleanup);
const marker = join(root, 'ran');

for (const nasty of nasties(marker)) {
  test(`hostile config refused: ${nasty.name}`, async (t) => {
    const fx = configFixture(t);
    const config = fx.writeText(nasty.content);
    const args = (state: string): string[] => ['--config', config, '--state-dir', fx.path(state)];
    const [text, json] = await Promise.all([
      runCli(args('state-text'), process.env, 2 * MAX_RUN_MS),
      runCli([...args('state-json'), '--json'], process.env, 2 * MAX_RUN_MS),
    ]);
    assertClean(text, nasty.name);
    assertClean(json, `${nasty.name} --json`);
    assert.equal(text.code, 3, text.stdout + text.stderr);
    assert.equal(text.stdout, '');
    assert.match(text.stderr, /^autoheal-once: \d+ problems? in the config; nothing was probed or run:\n/);
    assert.match(text.stderr, nasty.refused);
    assert.equal(json.code, 3);
    assert.equal(json.stderr, '');
    const doc = JSON.parse(json.stdout) as { exitCode: number; issues: { message: string }[] };
    assert.equal(doc.exitCode, 3);
    assert.ok(doc.issues.length >= 1 && doc.issues.every((issue) => issue.message !== ''));
    assert.equal(existsSync(marker), false, 'a script ran');
  });
}
