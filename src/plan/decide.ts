// The decision table (pure): graph + observations -> what to do with each service.
import type { Dependency, Service } from '../config/types.js';
import type { ProbeResult } from '../probe/types.js';
import { historyOf, type ServiceHistory, type State } from './history.js';
import { gateRestart } from './policy.js';
import type { DepView, Plan, PlanEntry, Verdict } from './types.js';

export interface Observations {
  /** Liveness by service name. */
  liveness: ReadonlyMap<string, ProbeResult>;
  /** Readiness of explicit (tcp/http) dependency probes; only those of down services are probed. */
  readiness: ReadonlyMap<Dependency, ProbeResult>;
  /** When the host's boot grace ends (epoch ms); absent or past: no boot grace. */
  bootUntil?: number;
}

const notProbed: ProbeResult = { status: 'unknown', reason: 'not probed', ms: 0 };

/**
 * Decides every service in dependency order, so a name-only dependency is judged by the verdict
 * its service got in this same pass: a service about to be restarted is not ready yet.
 * `history` and `now` (epoch ms) apply the start grace and the restart limits.
 */
export function decide(services: readonly Service[], order: readonly string[], seen: Observations, history: State, now: number): Plan {
  const byName = new Map(services.map((s) => [s.name, s]));
  const verdicts = new Map<string, Verdict>();
  const entries: PlanEntry[] = [];
  for (const name of order) {
    const service = byName.get(name);
    if (!service) continue;
    const liveness = seen.liveness.get(name) ?? notProbed;
    const deps = service.deps.map((dep): DepView => {
      const result = seen.readiness.get(dep);
      return result ? { dep, result } : { dep };
    });
    const verdict = judge(service, liveness, deps, verdicts, historyOf(history, name), now, seen.bootUntil);
    verdicts.set(name, verdict);
    entries.push({ service, verdict, liveness, deps });
  }
  return { entries };
}

function judge(
  service: Service,
  liveness: ProbeResult,
  deps: readonly DepView[],
  verdicts: ReadonlyMap<string, Verdict>,
  history: ServiceHistory | undefined,
  now: number,
  bootUntil: number | undefined,
): Verdict {
  if (liveness.status === 'up') return { action: 'none', state: 'healthy', reason: liveness.reason };
  if (liveness.status === 'unknown') return { action: 'none', state: 'unknown', reason: liveness.reason };
  const { reason } = liveness;
  // A service in its start grace, or in a backoff begun earlier, is not restarted whatever its dependencies say.
  const gate = gateRestart(history, service.policy, now);
  if (gate.kind === 'starting') return { action: 'none', state: 'starting', reason, until: gate.until };
  if (gate.kind === 'gave_up' && !gate.newly) return { action: 'none', state: 'gave_up', reason, until: gate.until, level: gate.level, newly: false };
  const blocked = firstNotReady(deps, verdicts);
  // Waiting costs nothing: a service waiting for the boot or for a dependency would not be restarted anyway, so it
  // does not reach its restart limit (and start a backoff) until a restart is really due.
  if (bootUntil !== undefined && now < bootUntil) return { action: 'none', state: 'booting', reason, until: bootUntil, ...blocked };
  if (blocked) return { action: 'none', state: 'blocked', reason, ...blocked };
  if (gate.kind === 'gave_up') return { action: 'none', state: 'gave_up', reason, until: gate.until, level: gate.level, newly: true };
  return { action: 'restart', state: 'down', reason };
}

/** The first direct dependency that is not ready, and why; undefined when all are. */
function firstNotReady(deps: readonly DepView[], verdicts: ReadonlyMap<string, Verdict>): { dep: string; depReason: string } | undefined {
  for (const view of deps) {
    const why = whyNotReady(view, verdicts);
    if (why !== undefined) return { dep: view.dep.name, depReason: why };
  }
  return undefined;
}

/**
 * Whether a service is ready for the services that name it as a dependency (with no host/port/url of their own):
 * today, that it is alive. The one place a service's own health check joins in: alive and its check passing.
 * A converging run re-decides every round, so a service restarted earlier in the run counts once it is seen up.
 */
export function readyForDependents(verdict: Verdict): boolean {
  return verdict.state === 'healthy';
}

/** undefined when the dependency is ready, else the reason it is not. */
function whyNotReady(view: DepView, verdicts: ReadonlyMap<string, Verdict>): string | undefined {
  if (view.dep.probe.kind === 'service') {
    const verdict = verdicts.get(view.dep.name);
    if (!verdict) return 'not judged';
    if (readyForDependents(verdict)) return undefined;
    return verdict.action === 'restart' ? 'being restarted in this pass' : `it is ${verdict.state}`;
  }
  const result = view.result;
  if (!result) return 'not probed';
  if (result.status === 'up') return undefined;
  return result.reason;
}

/** When the boot grace ends (epoch ms), from the host's uptime at `now`; undefined when it is off, over or unknown. */
export function bootGraceEnd(uptimeMs: number | undefined, graceMs: number, now: number): number | undefined {
  if (graceMs <= 0 || uptimeMs === undefined || uptimeMs >= graceMs) return undefined;
  return now + (graceMs - uptimeMs);
}

/** The explicit dependency probes the decision needs: those of services that are down. */
export function depsToProbe(services: readonly Service[], liveness: ReadonlyMap<string, ProbeResult>): Dependency[] {
  const needed: Dependency[] = [];
  for (const service of services) {
    if (liveness.get(service.name)?.status !== 'down') continue;
    for (const dep of service.deps) if (dep.probe.kind !== 'service') needed.push(dep);
  }
  return needed;
}
