// validate's warnings: a name-only dependency on a service without a check, located where it is written.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { weakDependencyWarnings } from '../../src/config/warnings.js';
import { parseConfig } from '../../src/config/parse.js';
import { formatIssues } from '../../src/errors.js';
import type { Dependency } from '../../src/config/types.js';
import { named as nameOnly, svc, tcpDep } from '../helpers/services.js';

// Placed where a parse would have found it.
const named = (name: string): Dependency => ({ ...nameOnly(name), at: { line: 9, col: 7 } });
const port = (name: string) => tcpDep(name, { port: 5432, internal: true });
const WEAK_DB =
  "`db` is named only, and db has no check: api may be started once db's process exists, before it answers; give db a `check`, or this dependency a `host`/`port` or `url`";

test('a name-only dependency on a service without a check warns once, naming both fixes; with a probe or a check it does not', () => {
  const services = [svc('db'), svc('cache'), svc('api', [named('db'), port('db'), named('cache')])];
  assert.deepEqual(
    weakDependencyWarnings(services, (s) => s.name === 'cache'),
    [{ line: 9, col: 7, path: 'api.dep[0]', message: WEAK_DB }],
  );
  assert.deepEqual(
    weakDependencyWarnings(services, () => true),
    [],
  );
});

test('the warning is located where the dependency is written, from the one parse of the file', () => {
  const text = [
    'db:',
    '  pname: db',
    '  script: start db',
    'api:',
    '  pname: api',
    '  script: start api',
    '  dep:',
    '    - host: 127.0.0.1',
    '      port: 5432',
    '      name: db',
    '    -   name: db',
    '',
  ].join('\n');
  const { config, issues } = parseConfig(text);
  assert.deepEqual(issues, []);
  const warnings = weakDependencyWarnings(config!.services, (s) => s.health?.check !== undefined);
  assert.deepEqual(warnings, [{ line: 11, col: 9, path: 'api.dep[1]', message: WEAK_DB }]);
  assert.equal(formatIssues('/etc/autoheal/conf.yaml', warnings, 'warning'), `/etc/autoheal/conf.yaml:11:9: warning: api.dep[1]: ${WEAK_DB}`);
});

test('a dependency built without a position is located at the file as a whole, as errors are', () => {
  const unplaced: Dependency = { name: 'db', probe: { kind: 'service' }, timeoutMs: 1000, internal: true };
  const warnings = weakDependencyWarnings([svc('db'), svc('api', [unplaced])], () => false);
  assert.equal(formatIssues('c.yaml', warnings, 'warning'), `c.yaml: warning: api.dep[0]: ${WEAK_DB}`);
});
