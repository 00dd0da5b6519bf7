import { test } from 'node:test';
import assert from 'node:assert/strict';
import { weakDependencyWarnings } from '../../src/config/warnings.js';
import type { Dependency, Service } from '../../src/config/types.js';

const policy = { startGraceMs: 30_000, maxRestarts: 3, windowMs: 300_000, backoffMs: 300_000, backoffMaxMs: 3_600_000 };
const svc = (name: string, deps: Dependency[] = []): Service => ({
  name,
  pname: name,
  script: 'true',
  deps,
  probeTimeoutMs: 1000,
  restartTimeoutMs: 1000,
  policy,
  detach: false,
});
const named = (name: string): Dependency => ({ name, probe: { kind: 'service' }, timeoutMs: 1000, internal: true });
const port = (name: string): Dependency => ({ name, probe: { kind: 'tcp', host: '127.0.0.1', port: 5432 }, timeoutMs: 1000, internal: true });

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
