// Services, dependencies and probe results as the parsed config and the probes hand them to the pure stages:
// the one builder of these values for tests that skip the YAML.
import type { Dependency, RestartPolicy, Service } from '../../src/config/types.js';
import type { ProbeResult, ProbeStatus } from '../../src/probe/types.js';

/** The built-in restart limits: 30 s start grace, 3 restarts in 5 min, backoff from 5 min up to 1 h. */
export const POLICY: RestartPolicy = { startGraceMs: 30_000, maxRestarts: 3, windowMs: 300_000, backoffMs: 300_000, backoffMaxMs: 3_600_000 };

/** A service looked up by its name, started by `start NAME`; `extra` replaces any field. */
export const svc = (name: string, deps: Dependency[] = [], extra: Partial<Service> = {}): Service => ({
  name,
  pname: name,
  script: `start ${name}`,
  deps,
  probeTimeoutMs: 1000,
  restartTimeoutMs: 1000,
  policy: POLICY,
  detach: false,
  ...extra,
});

/** A dependency by name only: an edge of the DAG, ready when that service is healthy. */
export const named = (name: string, timeoutMs = 1000): Dependency => ({ name, probe: { kind: 'service' }, timeoutMs, internal: true });

/** A dependency probed by TCP; `internal` when the name is also a service of the config. */
export const tcpDep = (name: string, o: { host?: string; port?: number; internal?: boolean; timeoutMs?: number } = {}): Dependency => ({
  name,
  probe: { kind: 'tcp', host: o.host ?? '127.0.0.1', port: o.port ?? 80 },
  timeoutMs: o.timeoutMs ?? 1000,
  internal: o.internal ?? false,
});

/** A probe's result; the reason is the status unless given. */
export const probeResult = (status: ProbeStatus, reason: string = status): ProbeResult => ({ status, reason, ms: 1 });
