// The installed /etc/cron.d file in the format cron reads: one 7-field line, user column, absolute installed path.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { accessSync, constants, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../helpers/util.js';
import { binaryFor, runScript } from './installer.js';

/** Splits a cron.d file into environment settings and job lines, skipping comments and blank lines. */
function readCronFile(text: string): { env: string[]; jobs: string[][] } {
  const lines = text.split('\n').filter((l) => l.trim() !== '' && !l.trimStart().startsWith('#'));
  const env = lines.filter((l) => /^[A-Za-z_][A-Za-z0-9_]*\s*=/.test(l));
  const jobs = lines.filter((l) => !env.includes(l)).map((l) => l.trim().split(/\s+/));
  return { env, jobs };
}

test('the cron file is one every-minute job run as root, naming the installed binary by its absolute path', (t) => {
  const { dir } = tempDir(t);
  const root = join(dir, 'root');
  assert.equal(runScript('install.sh', root, ['--prefix', '/opt/autoheal', '--binary', binaryFor(dir)]).status, 0);
  const text = readFileSync(join(root, 'etc/cron.d/autoheal'), 'utf8');
  const { env, jobs } = readCronFile(text);
  assert.equal(jobs.length, 1, text);
  const [job] = jobs as [string[]];
  assert.equal(job.length, 7, `7 fields (5 time fields, user, command): ${job.join(' ')}`);
  assert.deepEqual(job.slice(0, 6), ['*', '*', '*', '*', '*', 'root']);
  assert.equal(job[6], '/opt/autoheal/bin/autoheal-once', 'the path on the host, without DESTDIR');
  accessSync(join(root, job[6]!), constants.X_OK);
  assert.ok(!text.includes('%'), 'cron turns % into a newline');
  assert.ok(text.endsWith('\n'), 'cron ignores a last line without a newline');
  for (const setting of env) assert.match(setting, /^PATH=(\/[^:\s]+)(:\/[^:\s]+)*$/);
});

test('the cron file name has no dot, which would make cron skip it', (t) => {
  const { dir } = tempDir(t);
  const root = join(dir, 'root');
  assert.equal(runScript('install.sh', root, ['--binary', binaryFor(dir)]).status, 0);
  const names = readdirSync(join(root, 'etc/cron.d'));
  assert.deepEqual(names, ['autoheal']);
  for (const name of names) assert.match(name, /^[A-Za-z0-9_-]+$/, 'run-parts naming: letters, digits, _ and -');
});
