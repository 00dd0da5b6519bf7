// install.sh --systemd: a oneshot service and a minutely timer instead of the cron file, in valid unit-file format.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../helpers/util.js';
import { binaryFor, listFiles, octal, runScript } from './installer.js';

type Unit = Record<string, Record<string, string>>;

/** A tiny unit-file reader: [Section] headers, Key=Value lines, # and ; comments; throws on anything else. */
function readUnit(text: string): Unit {
  const unit: Unit = {};
  let section: Record<string, string> | undefined;
  for (const [i, line] of text.split('\n').entries()) {
    if (line.trim() === '' || /^[#;]/.test(line)) continue;
    const header = /^\[([A-Za-z]+)\]$/.exec(line);
    const pair = /^([A-Za-z]+)=(.*)$/.exec(line);
    if (header) section = unit[header[1]!] = {};
    else if (pair && section) section[pair[1]!] = pair[2]!;
    else throw new Error(`line ${i + 1} is neither a section nor Key=Value: ${JSON.stringify(line)}`);
  }
  return unit;
}

function installSystemd(dir: string): string {
  const root = join(dir, 'root');
  const run = runScript('install.sh', root, ['--systemd', '--prefix', '/opt/autoheal', '--binary', binaryFor(dir)]);
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /systemctl enable --now autoheal\.timer/, 'says how to enable the timer');
  return root;
}

test('--systemd installs the service and the timer (mode 0644) and no cron file', (t) => {
  const { dir } = tempDir(t);
  const root = installSystemd(dir);
  assert.deepEqual(listFiles(root), [
    '/etc/autoheal/conf.yaml',
    '/etc/systemd/system/autoheal.service',
    '/etc/systemd/system/autoheal.timer',
    '/opt/autoheal/bin/autoheal-once',
  ]);
  for (const unit of ['autoheal.service', 'autoheal.timer']) assert.equal(octal(statSync(join(root, 'etc/systemd/system', unit)).mode), '0644');
});

test('the service is a oneshot pass that leaves the daemons it started alive, started only by the timer', (t) => {
  const { dir } = tempDir(t);
  const unit = readUnit(readFileSync(join(installSystemd(dir), 'etc/systemd/system/autoheal.service'), 'utf8'));
  assert.deepEqual(Object.keys(unit), ['Unit', 'Service']);
  assert.ok(unit.Unit!.Description);
  assert.equal(unit.Service!.Type, 'oneshot');
  assert.equal(unit.Service!.ExecStart, '/opt/autoheal/bin/autoheal-once');
  assert.equal(unit.Service!.KillMode, 'process');
  assert.equal(unit.Service!.SuccessExitStatus, '1');
});

test('the timer starts the service every minute and is enabled by timers.target', (t) => {
  const { dir } = tempDir(t);
  const unit = readUnit(readFileSync(join(installSystemd(dir), 'etc/systemd/system/autoheal.timer'), 'utf8'));
  assert.deepEqual(Object.keys(unit), ['Unit', 'Timer', 'Install']);
  assert.equal(unit.Timer!.OnCalendar, 'minutely');
  assert.equal(unit.Timer!.AccuracySec, '1s');
  assert.equal(unit.Install!.WantedBy, 'timers.target');
});

const analyze = spawnSync('systemd-analyze', ['--version'], { encoding: 'utf8' });
test('systemd-analyze verify accepts both units without a warning', { skip: analyze.status !== 0 && 'systemd-analyze is not installed' }, (t) => {
  const { dir } = tempDir(t);
  const root = installSystemd(dir);
  // verify checks that ExecStart exists: point it at the staged binary, in a copy.
  const scratch = join(dir, 'verify');
  mkdirSync(scratch);
  const service = readFileSync(join(root, 'etc/systemd/system/autoheal.service'), 'utf8');
  writeFileSync(join(scratch, 'autoheal.service'), service.replace('ExecStart=/opt', `ExecStart=${root}/opt`));
  writeFileSync(join(scratch, 'autoheal.timer'), readFileSync(join(root, 'etc/systemd/system/autoheal.timer')));
  const run = spawnSync('systemd-analyze', ['--man=no', 'verify', join(scratch, 'autoheal.service'), join(scratch, 'autoheal.timer')], {
    encoding: 'utf8',
    timeout: 30_000,
  });
  assert.equal(run.stderr, '');
  assert.equal(run.status, 0);
});

test('switching modes removes the other one, so cron and the timer never both run passes', (t) => {
  const { dir } = tempDir(t);
  const root = join(dir, 'root');
  const binary = binaryFor(dir);
  assert.equal(runScript('install.sh', root, ['--binary', binary]).status, 0);
  const toSystemd = runScript('install.sh', root, ['--systemd', '--binary', binary]);
  assert.match(toSystemd.stdout, new RegExp(`^removed ${root}/etc/cron.d/autoheal `, 'm'));
  assert.ok(!listFiles(root).includes('/etc/cron.d/autoheal'));
  const wants = join(root, 'etc/systemd/system/timers.target.wants');
  mkdirSync(wants);
  symlinkSync('../autoheal.timer', join(wants, 'autoheal.timer')); // as `systemctl enable` leaves it
  assert.equal(runScript('install.sh', root, ['--binary', binary]).status, 0);
  assert.deepEqual(listFiles(root), ['/etc/autoheal/conf.yaml', '/etc/cron.d/autoheal', '/usr/local/bin/autoheal-once']);
});
