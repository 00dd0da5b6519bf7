// The decision table (pure): graph + observations -> what to do with each service.
import type { Dependency, Service } from '../config/types.js';
import type { ProbeResult } from '../probe/types.js';
import { activePause, historyOf, type ServiceHistory, type State } from './history.js';
import { gateRestart } from './policy.js';
import type { DepView, Plan, PlanEntry, Verdict } from './types.js';

export interface Observations {
  /** Liveness by service name. */
  liveness: ReadonlyMap<string, ProbeResult>;
  /** Readiness of explicit (tcp/http) dependency probes; only those of down services are probed. */
  readiness: ReadonlyMap<Dependency, ProbeResult>;
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
    const verdict = judge(service, liveness, deps, verdicts, historyOf(history, name), now);
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
): Verdict {
  // Before anything else: whatever its state, a paused service is left alone.
  const pause = activePause(history, now);
  if (pause) return { action: 'none', state: 'paused', reason: liveness.reason, up: liveness.status === 'up', pause };
  if (liveness.status === 'up') return { action: 'none', state: 'healthy', reason: liveness.reason };
  if (liveness.status === 'unknown') return { action: 'none', state: 'unknown', reason: liveness.reason };
  // The gate comes before the dependencies: a service in its grace or backoff is not restarted either way.
  const gate = gateRestart(history, service.policy, now);
  if (gate.kind === 'starting') return { action: 'none', state: 'starting', reason: liveness.reason, until: gate.until };
  if (gate.kind === 'gave_up') {
    return { action: 'none', state: 'gave_up', reason: liveness.reason, until: gate.until, level: gate.level, newly: gate.newly };
  }
  for (const view of deps) {
    const why = whyNotReady(view, verdicts);
    if (why !== undefined) {
      return { action: 'none', state: 'blocked', reason: liveness.reason, dep: view.dep.name, depReason: why };
    }
  }
  return { action: 'restart', state: 'down', reason: liveness.reason };
}

/** undefined when the dependency is ready, else the reason it is not. */
function whyNotReady(view: DepView, verdicts: ReadonlyMap<string, Verdict>): string | undefined {
  if (view.dep.probe.kind === 'service') {
    const verdict = verdicts.get(view.dep.name);
    if (!verdict) return 'not judged';
    if (verdict.state === 'healthy') return undefined;
    // A paused service that runs serves its dependents; one that does not is not coming back by itself.
    if (verdict.state === 'paused') return verdict.up ? undefined : 'it is paused and not running';
    return verdict.action === 'restart' ? 'being restarted in this pass' : `it is ${verdict.state}`;
  }
  const result = view.result;
  if (!result) return 'not probed';
  if (result.status === 'up') return undefined;
  return result.reason;
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
