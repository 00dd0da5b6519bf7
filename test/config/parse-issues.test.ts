import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseConfig } from '../../src/config/parse.js';
import { fixture } from '../helpers/util.js';

/** Issues as `line:col path: message`, the way an operator reads them. */
function issuesOf(text: string): string[] {
  const { config, issues } = parseConfig(text);
  if (issues.length > 0) assert.equal(config, undefined, 'no config when there are issues');
  return issues.map((i) => `${i.line}:${i.col} ${i.path}: ${i.message}`);
}
const fromFixture = (name: string): string[] => issuesOf(readFileSync(fixture('config', name), 'utf8'));
const lines = (...l: string[]): string => l.join('\n') + '\n';
const DURATION = 'a duration: seconds as a number > 0, or a string like 500ms, 5s, 2m, 1h';

test('typo keys are reported with a did-you-mean, and the missing key they were meant to be', () => {
  assert.deepEqual(fromFixture('typo-key.yaml'), [
    '1:1 nginx: expected a `script` that restarts it, found none',
    '3:3 nginx.pid_fle: unknown key `pid_fle`: did you mean `pid_file`?',
    '4:3 nginx.scirpt: unknown key `scirpt`: did you mean `script`?',
  ]);
});

test('an unknown key with no near match lists the known ones; a defaults-only or probe key says where it belongs', () => {
  assert.deepEqual(issuesOf(lines('a:', '  pname: a', '  script: s', '  restart_cmd: x', '  log_dir: /x', '  url: http://127.0.0.1/')), [
    '4:3 a.restart_cmd: unknown key `restart_cmd`: expected one of pname, pid_file, script, dep, probe_timeout, restart_timeout, start_grace, max_restarts, restart_window, backoff, backoff_max, notify, user, group, cwd, env, umask, check, failures, restart_on_dependency_recovery, max_memory, max_cpu, stop_script, stop_timeout, detach',
    '5:3 a.log_dir: unknown key `log_dir` here: it belongs under `defaults`',
    '6:3 a.url: unknown key `url` here: it belongs under `check`',
  ]);
});

test('dependency cycles are reported once each, at the dep entry that closes them', () => {
  assert.deepEqual(fromFixture('cycle.yaml'), [
    '16:7 c.dep[0]: expected no dependency cycle, found a -> b -> c -> a',
    '22:7 self.dep[0]: expected no dependency cycle, found self -> self',
  ]);
});

test('bad ports: not a number, out of range, not an integer, quoted', () => {
  assert.deepEqual(fromFixture('bad-port.yaml'), [
    '7:13 web.dep[0].port: expected an integer from 1 to 65535, found "eighty" (string)',
    '9:13 web.dep[1].port: expected an integer from 1 to 65535, found 70000 (integer)',
  ]);
  assert.deepEqual(issuesOf('a: {pname: a, script: s, dep: [{name: x, port: 80.5}, {name: y, port: "80"}, {name: z, port: 0}]}'), [
    '1:48 a.dep[0].port: expected an integer from 1 to 65535, found 80.5 (number)',
    '1:71 a.dep[1].port: expected an integer from 1 to 65535, found "80" (string)',
    '1:94 a.dep[2].port: expected an integer from 1 to 65535, found 0 (integer)',
  ]);
});

test('bad URLs: another scheme, or not parseable', () => {
  assert.deepEqual(fromFixture('bad-url.yaml'), [
    '6:12 web.dep[0].url: expected an http:// or https:// URL, found "ftp://middleware.host.com/check.htm" (string)',
    '8:12 web.dep[1].url: expected an http:// or https:// URL, found "http://" (string)',
  ]);
});

test('a missing or empty script', () => {
  assert.deepEqual(fromFixture('missing-script.yaml'), [
    '1:1 web: expected a `script` that restarts it, found none',
    '5:11 db.script: expected a non-empty string, found "" (string)',
  ]);
});

test('duplicate keys, in a service and at the top, each point at the first one', () => {
  assert.deepEqual(fromFixture('duplicate-key.yaml'), [
    '4:3 web.pname: expected each key once, found `pname` again (first at 2:3)',
    '5:1 web: expected each key once, found `web` again (first at 1:1)',
  ]);
});

test("YAML syntax errors come with yaml's own position, and nothing is guessed past them", () => {
  assert.deepEqual(fromFixture('syntax-error.yaml'), ['6:1 : invalid YAML: Missing closing "quote']);
  assert.deepEqual(issuesOf('a:\n\tpname: x\n'), ['2:1 : invalid YAML: Tabs are not allowed as indentation']);
});

test('more than one document, an empty file, a top level that is not a mapping', () => {
  assert.deepEqual(fromFixture('two-docs.yaml'), ['4:1 : expected one YAML document, found another one starting here']);
  assert.deepEqual(fromFixture('empty.yaml'), ['1:1 : expected a mapping of services, found an empty document']);
  assert.deepEqual(issuesOf(''), ['1:1 : expected a mapping of services, found an empty document']);
  assert.deepEqual(fromFixture('not-mapping.yaml'), ['1:1 : expected a mapping of services at the top level, found a list']);
  assert.deepEqual(issuesOf('just text'), ['1:1 : expected a mapping of services at the top level, found "just text" (string)']);
});

test('a service body that is empty or not a mapping is reported at the service', () => {
  assert.deepEqual(issuesOf(lines('nginx:', 'web: [a, b]', 'db: run')), [
    '1:1 nginx: expected a mapping of service settings (pname or pid_file, script, dep...), found nothing (null)',
    '2:6 web: expected a mapping of service settings (pname or pid_file, script, dep...), found a list',
    '3:5 db: expected a mapping of service settings (pname or pid_file, script, dep...), found "run" (string)',
  ]);
});

test('a service with neither pname nor pid_file', () => {
  assert.deepEqual(issuesOf(lines('web:', '  script: s')), ['1:1 web: expected `pname` or `pid_file` to tell whether it runs, found neither']);
});

test('empty strings and wrong types', () => {
  assert.deepEqual(issuesOf(lines('web:', '  pname: ""', '  pid_file: 42', '  script: [a]', '  probe_timeout: fast', '  restart_timeout: -1')), [
    '2:10 web.pname: expected a non-empty string, found "" (string)',
    '3:13 web.pid_file: expected an absolute path, found 42 (integer)',
    '4:11 web.script: expected a non-empty string, found a list',
    `5:18 web.probe_timeout: expected ${DURATION}, found "fast" (string)`,
    `6:20 web.restart_timeout: expected ${DURATION}, found -1 (integer)`,
  ]);
  assert.deepEqual(issuesOf(lines('web:', '  pname:', '  pid_file: run/web.pid', '  script: true')), [
    '2:3 web.pname: expected a non-empty string, found nothing (null)',
    '3:13 web.pid_file: expected an absolute path, found "run/web.pid" (string)',
    '4:11 web.script: expected a non-empty string, found true (boolean)',
  ]);
});

test('dependency rules: url with host/port, host without port, no name, unknown name without a probe', () => {
  const text = lines(
    'nginx: {pname: nginx, script: s}',
    'web:',
    '  pname: web',
    '  script: s',
    '  dep:',
    '    - name: a',
    '      url: http://a/',
    '      port: 80',
    '    - name: b',
    '      host: b.example',
    '    - host: c.example',
    '      port: 1',
    '    - name: middleware',
    '    - name: ngnix',
    '    - just-a-name',
    '    - name: x',
    '      host: "bad host"',
    '      port: 1',
    '      timeout: 0',
  );
  assert.deepEqual(issuesOf(text), [
    '7:7 web.dep[0].url: expected either `url` or `host`+`port`, found both',
    '10:7 web.dep[1].host: expected a `port` with `host`, found none',
    '11:7 web.dep[2]: expected a `name`, found none',
    '13:13 web.dep[3].name: `middleware` is not a service of this config, so it needs host+port, url, socket or command',
    '14:13 web.dep[4].name: `ngnix` is not a service of this config, so it needs host+port, url, socket or command (or did you mean `nginx`?)',
    '15:7 web.dep[5]: expected a mapping (one of the dependencies), found "just-a-name" (string)',
    '17:13 web.dep[6].host: expected a host name or IP address, found "bad host" (string)',
    `19:16 web.dep[6].timeout: expected ${DURATION}, found 0 (integer)`,
  ]);
});

test('`dep` must be a list', () => {
  assert.deepEqual(issuesOf(lines('web:', '  pname: web', '  script: s', '  dep:', '    name: nginx')), [
    '5:5 web.dep: expected a list of dependencies, found a mapping',
  ]);
  assert.deepEqual(issuesOf('web: {pname: web, script: s, dep: nginx}'), ['1:35 web.dep: expected a list of dependencies, found "nginx" (string)']);
});

test('defaults: every key checked, typos suggested, not a mapping reported', () => {
  assert.deepEqual(issuesOf(lines('defaults:', '  probe_timeout: 0', '  log_dir: logs', '  max_concurrent_probes: 0', '  restart_timout: 5')), [
    `2:18 defaults.probe_timeout: expected ${DURATION}, found 0 (integer)`,
    '3:12 defaults.log_dir: expected an absolute path, found "logs" (string)',
    '4:26 defaults.max_concurrent_probes: expected an integer >= 1, found 0 (integer)',
    '5:3 defaults.restart_timout: unknown key `restart_timout`: did you mean `restart_timeout`?',
  ]);
  assert.deepEqual(issuesOf('defaults: [1]'), [
    '1:11 defaults: expected a mapping of probe_timeout, restart_timeout, log_dir, log_max_size, max_concurrent_probes, start_grace, max_restarts, restart_window, backoff, backoff_max, remind, notify, notify_timeout, syslog, syslog_socket, metrics_file, user, group, cwd, env, umask, failures, restart_on_dependency_recovery, stop_timeout, converge, boot_grace, found a list',
  ]);
});

test('aliases to missing anchors, aliases inside their own anchor, and bad merge sources', () => {
  assert.deepEqual(issuesOf(lines('a:', '  pname: *nope', '  script: s')), [
    '2:10 a.pname: expected an anchor `&nope` before the alias `*nope`, found none',
  ]);
  assert.deepEqual(issuesOf(lines('a: &a', '  <<: *a', '  pname: p', '  script: s')), [
    '2:7 a: expected the alias `*a` outside the node it refers to, found it inside',
  ]);
  assert.deepEqual(issuesOf(lines('a:', '  <<: [[x]]', '  pname: p', '  script: s')), [
    '2:8 a.<<: expected `<<` to merge a mapping or a list of mappings, found a list',
  ]);
  assert.deepEqual(issuesOf(lines('a:', '  <<:', '  pname: p', '  script: s', 'b: {<<: 5, pname: p, script: s}')), [
    '2:3 a.<<: expected `<<` to merge a mapping or a list of mappings, found nothing (null)',
    '5:9 b.<<: expected `<<` to merge a mapping or a list of mappings, found 5 (integer)',
  ]);
});

test('every problem of a file is listed in one run, sorted by position', () => {
  const text = lines(
    'web:',
    '  pid_fle: /x',
    '  script: ""',
    '  dep:',
    '    - name: db',
    '      port: eighty',
    'db:',
    'defaults: {probe_timeout: never}',
  );
  const got = issuesOf(text);
  assert.deepEqual(
    got.map((l) => l.split(' ')[0]),
    ['1:1', '2:3', '3:11', '6:13', '7:1', '8:27'],
  );
});

test('names and found values are escaped, so a config cannot write escape sequences to the terminal', () => {
  const got = issuesOf(lines('"\\e[2Jevil\\n": {pname: x, script: y}', 'a: {pname: "\\e]0;title\\a", script: 5}'));
  assert.deepEqual(got, [
    '1:1 \\u001b[2Jevil\\n: expected a non-empty service name without control characters, found `\\u001b[2Jevil\\n`',
    '2:36 a.script: expected a non-empty string, found 5 (integer)',
  ]);
  const dep = issuesOf('a: {pname: x, script: y, dep: [{name: "\\x9b2J", port: 1}, {name: "x\\u202e", url: "\\e"}]}');
  assert.deepEqual(dep, [
    '1:39 a.dep[0].name: expected a non-empty dependency name without control characters, found `\\u009b2J`',
    '1:82 a.dep[1].url: expected an http:// or https:// URL, found "\\u001b" (string)',
  ]);
  for (const line of [...got, ...dep]) assert.doesNotMatch(line, /[\u0000-\u001f\u007f-\u009f]/);
});

test('a long found value is cut in the message', () => {
  const [issue] = issuesOf(`a: {pname: x, script: y, probe_timeout: "${'z'.repeat(5000)}"}`);
  assert.match(issue!, /found "z{80}\.\.\." \(string of 5000 characters\)$/);
  assert.ok(issue!.length < 300);
});
