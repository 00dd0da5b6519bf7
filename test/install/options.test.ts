// Both scripts refuse what they do not understand with a usage message and exit 2, before touching anything.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../helpers/util.js';
import { binaryFor, runScript } from './installer.js';

const refusals: Array<['install.sh' | 'uninstall.sh', string[], RegExp]> = [
  ['install.sh', ['--frobnicate'], /unknown option: --frobnicate/],
  ['install.sh', ['extra'], /unknown option: extra/],
  ['install.sh', ['--prefix'], /--prefix needs a directory/],
  ['install.sh', ['--prefix', 'usr/local'], /must be an absolute path/],
  ['install.sh', ['--prefix', '/opt/auto heal'], /may contain only/],
  ['install.sh', ['--prefix', '/opt/50%'], /may contain only/],
  ['uninstall.sh', ['--systemd'], /unknown option: --systemd/],
  ['uninstall.sh', ['--prefix', 'relative'], /must be an absolute path/],
];

for (const [script, args, message] of refusals) {
  test(`${script} ${args.join(' ')} exits 2 with a usage message and installs nothing`, (t) => {
    const { dir } = tempDir(t);
    const root = join(dir, 'root');
    const run = runScript(script, root, script === 'install.sh' ? ['--binary', binaryFor(dir), ...args] : args);
    assert.equal(run.status, 2);
    assert.match(run.stderr, message);
    assert.match(run.stderr, new RegExp(`^Usage: ${script.replace('.', '\\.')} `, 'm'));
    assert.equal(run.stdout, '');
    assert.ok(!existsSync(root), 'nothing was created');
  });
}

for (const script of ['install.sh', 'uninstall.sh'] as const) {
  test(`${script} --help prints the usage on stdout and exits 0`, (t) => {
    const { dir } = tempDir(t);
    const run = runScript(script, join(dir, 'root'), ['--help']);
    assert.equal(run.status, 0);
    assert.match(run.stdout, new RegExp(`^Usage: ${script.replace('.', '\\.')} `));
  });
}
