import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseArgs } from '../../src/cli/args.js';
import { UsageError } from '../../src/errors.js';

test('no arguments: one pass with the default config', () => {
  assert.deepEqual(parseArgs([]), { command: 'run', dryRun: false, format: 'text', quiet: false, verbose: false });
});

test('every flag, in both --flag value and --flag=value forms', () => {
  const o = parseArgs(['--config', '/a.yaml', '--state-dir=/s', '--dry-run', '--json', '--verbose']);
  assert.deepEqual(o, { command: 'run', config: '/a.yaml', stateDir: '/s', dryRun: true, format: 'json', quiet: false, verbose: true });
  assert.equal(parseArgs(['--config=/b.yaml']).config, '/b.yaml');
});

test('validate is a command; help and version win over everything', () => {
  assert.equal(parseArgs(['validate', '--config', 'x']).command, 'validate');
  assert.equal(parseArgs(['--config', 'x', '--help']).command, 'help');
  assert.equal(parseArgs(['-h']).command, 'help');
  assert.equal(parseArgs(['-V']).command, 'version');
  assert.equal(parseArgs(['--version', '--json']).command, 'version');
});

test('bad arguments throw a UsageError that exits 3 and names the culprit', () => {
  const cases: [string[], RegExp][] = [
    [['--nope'], /unknown option "--nope"/],
    [['run'], /unknown argument "run"/],
    [['--config'], /--config expects a path, found nothing/],
    [['--config='], /--config expects a path/],
    [['--dry-run=yes'], /unknown option "--dry-run=yes"/],
    [['validate', 'validate'], /unknown argument "validate"/],
    [['--quiet', '--verbose'], /exclude each other/],
  ];
  for (const [argv, message] of cases) {
    assert.throws(
      () => parseArgs(argv),
      (e: unknown) => e instanceof UsageError && e.exitCode === 3 && message.test(e.message),
      argv.join(' '),
    );
  }
});

test('--format text|json|nagios, --json its short form; the two must agree', () => {
  assert.equal(parseArgs(['--format', 'nagios']).format, 'nagios');
  assert.equal(parseArgs(['--format=json']).format, 'json');
  assert.equal(parseArgs(['--json', '--format', 'json']).format, 'json');
  assert.throws(() => parseArgs(['--format', 'xml']), /--format expects text, json, nagios, found "xml"/);
  assert.throws(() => parseArgs(['--json', '--format', 'nagios']), /--json and --format nagios exclude each other/);
});

test('--metrics-file takes a .prom path, for a pass only', () => {
  assert.equal(parseArgs(['--metrics-file', '/var/lib/node/autoheal.prom']).metricsFile, '/var/lib/node/autoheal.prom');
  assert.throws(() => parseArgs(['--metrics-file', '/tmp/autoheal.txt']), /ending in \.prom/);
  assert.throws(() => parseArgs(['validate', '--metrics-file', '/x.prom']), /--metrics-file does not apply to validate/);
});

test('--help is rendered from the command and option tables', async () => {
  const { COMMANDS, OPTIONS, renderUsage } = await import('../../src/cli/usage.js');
  const help = renderUsage();
  for (const c of COMMANDS) assert.ok(help.includes(c.name) && help.includes(c.summary.split(' ').slice(0, 4).join(' ')), c.name);
  for (const o of OPTIONS) assert.ok(help.includes(o.flags) && help.includes(o.summary.split(' ').slice(0, 4).join(' ')), o.flags);
});

test('status, pause, resume, reset and graph: their names and options, refused elsewhere', () => {
  assert.deepEqual(parseArgs(['pause', 'db', 'web', '--for', '2h', '--reason', 'disk swap']), {
    command: 'pause',
    dryRun: false,
    format: 'text',
    quiet: false,
    verbose: false,
    names: ['db', 'web'],
    forMs: 7_200_000,
    reason: 'disk swap',
  });
  assert.equal(parseArgs(['resume', '--all']).all, true);
  assert.equal(parseArgs(['status', '--json']).format, 'json');
  assert.equal(parseArgs(['graph']).format, 'dot');
  assert.equal(parseArgs(['graph', '--format', 'mermaid', '--no-probe']).noProbe, true);
  const cases: [string[], RegExp][] = [
    [['pause'], /pause expects one or more service names, or --all/],
    [['reset', 'db', '--all'], /names or --all, not both/],
    [['pause', 'db', '--for', 'soon'], /--for expects a duration such as 30m or 2h, found "soon"/],
    [['resume', 'db', '--for', '1h'], /--for does not apply to resume/],
    [['--for', '1h'], /--for does not apply to a pass/],
    [['graph', '--format', 'json'], /--format expects dot, mermaid, found "json"/],
    [['graph', '--json'], /--json does not apply to graph/],
    [['status', 'db'], /unknown argument "db"/],
    [['status', '--syslog'], /--syslog does not apply to status/],
  ];
  for (const [argv, message] of cases) assert.throws(() => parseArgs(argv), message, argv.join(' '));
});
