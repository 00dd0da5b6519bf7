import { test } from 'node:test';
import assert from 'node:assert/strict';
import { weakDependencyWarnings } from '../../src/config/warnings.js';
import { named, svc, tcpDep } from '../helpers/services.js';

const port = (name: string) => tcpDep(name, { port: 5432, internal: true });

test('a name-only dependency on a service without a check warns once, naming both fixes; with a probe or a check it does not', () => {
  const services = [svc('db'), svc('cache'), svc('api', [named('db'), port('db'), named('cache')])];
  assert.deepEqual(
    weakDependencyWarnings(services, (s) => s.name === 'cache'),
    [
      "api.dep[0]: `db` is named only, and db has no check: api may be started once db's process exists, before it answers; give db a `check`, or this dependency a `host`/`port` or `url`",
    ],
  );
  assert.deepEqual(
    weakDependencyWarnings(services, () => true),
    [],
  );
});
