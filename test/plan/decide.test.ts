import { test } from 'node:test';
import assert from 'node:assert/strict';
import { depsToProbe } from '../../src/plan/decide.js';
import type { Dependency } from '../../src/config/types.js';
import type { ProbeResult, ProbeStatus } from '../../src/probe/types.js';
import { named, probeResult as r, svc, tcpDep } from '../helpers/services.js';
import { decideFor } from './support.js';

const plan = (...args: Parameters<typeof decideFor>) => decideFor(...args).verdicts;

test('liveness alone decides a service without dependencies', () => {
  const v = plan([svc('a'), svc('b'), svc('c')], { a: 'up', b: 'down', c: 'unknown' });
  assert.equal(v.get('a')?.state, 'healthy');
  assert.deepEqual(v.get('b'), { action: 'restart', state: 'down', reason: 'down' });
  assert.equal(v.get('c')?.state, 'unknown');
  assert.equal(v.get('c')?.action, 'none');
});

test('a healthy service is never restarted, whatever its dependencies', () => {
  const dep = tcpDep('db');
  const v = plan([svc('a', [dep])], { a: 'up' }, { readiness: new Map([[dep, r('down')]]) });
  assert.equal(v.get('a')?.state, 'healthy');
});

test('explicit dependency probe: up allows the restart, down or unknown blocks it with the reason', () => {
  for (const [status, expected] of [
    ['up', 'down'],
    ['down', 'blocked'],
    ['unknown', 'blocked'],
  ] as const) {
    const dep = tcpDep('db');
    const v = plan([svc('a', [dep])], { a: 'down' }, { readiness: new Map([[dep, r(status, `db is ${status}`)]]) });
    assert.equal(v.get('a')?.state, expected, `dep ${status}`);
    if (expected === 'blocked')
      assert.deepEqual(v.get('a'), { action: 'none', state: 'blocked', reason: 'down', dep: 'db', depReason: `db is ${status}` });
  }
});

test('an explicit dependency that was not probed blocks: never restart on a missing observation', () => {
  const v = plan([svc('a', [tcpDep('db')])], { a: 'down' });
  assert.equal(v.get('a')?.state, 'blocked');
});

test('name-only dependency: ready only when that service is healthy in this pass', () => {
  const cases: [ProbeStatus, string, string][] = [
    ['up', 'down', 'restart'],
    ['down', 'blocked', 'being restarted in this pass'],
    ['unknown', 'blocked', 'it is unknown'],
  ];
  for (const [dbLive, expectedState, why] of cases) {
    const v = plan([svc('api', [named('db')]), svc('db')], { db: dbLive, api: 'down' });
    assert.equal(v.get('api')?.state, expectedState, `db ${dbLive}`);
    const verdict = v.get('api');
    if (verdict?.state === 'blocked') assert.equal(verdict.depReason, why);
  }
});

test('a service restarted in this pass is ready for its dependents only through an explicit probe that passed', () => {
  const viaProbe = tcpDep('db', { internal: true });
  const v = plan([svc('api', [viaProbe]), svc('db')], { db: 'down', api: 'down' }, { readiness: new Map([[viaProbe, r('up')]]) });
  assert.equal(v.get('db')?.action, 'restart');
  assert.equal(v.get('api')?.action, 'restart');
});

test('blocking propagates one level per pass down a chain', () => {
  const services = [svc('c', [named('b')]), svc('b', [named('a')]), svc('a')];
  const v = plan(services, { a: 'down', b: 'down', c: 'down' });
  assert.equal(v.get('a')?.action, 'restart');
  assert.equal(v.get('b')?.state, 'blocked');
  const c = v.get('c');
  assert.equal(c?.state, 'blocked');
  if (c?.state === 'blocked') assert.equal(c.depReason, 'it is blocked');
});

test('the first dependency that is not ready is named', () => {
  const d1 = tcpDep('one');
  const d2 = tcpDep('two');
  const d3 = tcpDep('three');
  const v = plan(
    [svc('a', [d1, d2, d3])],
    { a: 'down' },
    {
      readiness: new Map([
        [d1, r('up')],
        [d2, r('down', 'refused')],
        [d3, r('down')],
      ]),
    },
  );
  const a = v.get('a');
  assert.equal(a?.state, 'blocked');
  if (a?.state === 'blocked') assert.deepEqual([a.dep, a.depReason], ['two', 'refused']);
});

test('entries come in dependency order', () => {
  const services = [svc('web', [named('api')]), svc('api', [named('db')]), svc('db')];
  const { plan: result } = decideFor(services, {});
  assert.deepEqual(
    result.entries.map((e) => e.service.name),
    ['db', 'api', 'web'],
  );
});

// Every combination of liveness and up to two dependencies (explicit or name-only, in every state):
// restart exactly when the service is down and every dependency is ready.
test('decision table, exhaustively over one service with two dependencies', () => {
  const statuses: (ProbeStatus | 'absent')[] = ['up', 'down', 'unknown', 'absent'];
  const kinds = ['tcp', 'service'] as const;
  let cases = 0;
  for (const live of ['up', 'down', 'unknown'] as const)
    for (const k1 of kinds)
      for (const k2 of kinds)
        for (const s1 of statuses)
          for (const s2 of statuses) {
            const deps: Dependency[] = [k1 === 'tcp' ? tcpDep('d1') : named('d1'), k2 === 'tcp' ? tcpDep('d2') : named('d2')];
            const readiness = new Map<Dependency, ProbeResult>();
            const liveness: Record<string, ProbeStatus> = { s: live };
            const services = [svc('s', deps), svc('d1'), svc('d2')];
            [s1, s2].forEach((st, i) => {
              const dep = deps[i]!;
              if (st === 'absent') return;
              if (dep.probe.kind === 'tcp') readiness.set(dep, r(st));
              else liveness[dep.name] = st;
            });
            // d1/d2 with no liveness are 'not probed' (unknown), so never healthy.
            const ready = (i: number) => [s1, s2][i] === 'up';
            const v = plan(services, liveness, { readiness }).get('s')!;
            const expected = live === 'up' ? 'healthy' : live === 'unknown' ? 'unknown' : ready(0) && ready(1) ? 'down' : 'blocked';
            assert.equal(v.state, expected, JSON.stringify({ live, k1, k2, s1, s2 }));
            assert.equal(v.action === 'restart', expected === 'down');
            if (v.state === 'blocked') assert.equal(v.dep, ready(0) ? 'd2' : 'd1');
            cases++;
          }
  assert.equal(cases, 3 * 4 * 16);
});

test('depsToProbe asks only for explicit dependencies of services that are down', () => {
  const a1 = tcpDep('x');
  const b1 = tcpDep('y');
  const c1 = tcpDep('z');
  const services = [svc('a', [a1, named('b')]), svc('b', [b1]), svc('c', [c1])];
  const live = new Map([
    ['a', r('down')],
    ['b', r('up')],
    ['c', r('unknown')],
  ]);
  assert.deepEqual(depsToProbe(services, live), [a1]);
});
