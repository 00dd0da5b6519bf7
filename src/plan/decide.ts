// The decision table (pure): graph + observations -> what to do with each service.
import type { Dependency, Service } from '../config/types.js';
import type { ProbeResult } from '../probe/types.js';
import { activePause, historyOf, type ServiceHistory, type State } from './history.js';
import { restartVerdict } from './policy.js';
import type { DepView, HealthView, Plan, PlanEntry, Verdict } from './types.js';
import { judgeRunning, type HealthSeen, type NotReady } from './health.js';

export interface Observations {
  /** Liveness by service name. */
  liveness: ReadonlyMap<string, ProbeResult>;
  /** Readiness of explicit dependency probes: those of down services, and of running ones with health settings. */
  readiness: ReadonlyMap<Dependency, ProbeResult>;
  /** Checks and usage of running services with health settings, by name. */
  health?: ReadonlyMap<string, HealthSeen>;
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
    const { verdict, health } = judge(service, liveness, deps, verdicts, seen.health?.get(name), historyOf(history, name), now, seen.bootUntil);
    verdicts.set(name, verdict);
    entries.push({ service, verdict, liveness, deps, ...(health ? { health } : {}) });
  }
  return { entries };
}

function judge(
  service: Service,
  liveness: ProbeResult,
  deps: readonly DepView[],
  verdicts: ReadonlyMap<string, Verdict>,
  seen: HealthSeen | undefined,
  history: ServiceHistory | undefined,
  now: number,
  bootUntil: number | undefined,
): { verdict: Verdict; health?: HealthView } {
  // Before anything else: whatever its state or health, a paused service is left alone.
  const pause = activePause(history, now);
  if (pause) return { verdict: { action: 'none', state: 'paused', reason: liveness.reason, up: liveness.status === 'up', pause } };
  const booting = bootUntil !== undefined && now < bootUntil ? bootUntil : undefined;
  if (liveness.status === 'up' && service.health) {
    const { verdict, view } = judgeRunning(
      { ...service, health: service.health },
      liveness,
      seen,
      firstNotReady(deps, verdicts),
      history,
      now,
      booting,
    );
    return { verdict, health: view };
  }
  return { verdict: judgeByLiveness(service, liveness, deps, verdicts, history, now, booting) };
}

/** A service without health settings, or one that is not running: liveness, history and dependencies decide. */
function judgeByLiveness(
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
  return restartVerdict(service, history, now, liveness.reason, firstNotReady(deps, verdicts), bootUntil, { state: 'down' });
}

/** The first direct dependency that is not ready, in the order written. */
function firstNotReady(deps: readonly DepView[], verdicts: ReadonlyMap<string, Verdict>): NotReady | undefined {
  for (const view of deps) {
    const why = whyNotReady(view, verdicts);
    if (why !== undefined) return { dep: view.dep.name, why };
  }
  return undefined;
}

/**
 * Whether a service is ready for the services that name it as a dependency (with no host/port/url of their own):
 * alive, and its own check (if it has one) passing this pass. A converging run re-decides every round, so a
 * service restarted earlier in the run counts once it is seen so.
 */
export function readyForDependents(verdict: Verdict): boolean {
  return verdict.state === 'healthy';
}

/** undefined when the dependency is ready, else the reason it is not. */
function whyNotReady(view: DepView, verdicts: ReadonlyMap<string, Verdict>): string | undefined {
  if (view.dep.probe.kind === 'service') {
    const verdict = verdicts.get(view.dep.name);
    if (!verdict) return 'not judged';
    if (verdict.state === 'healthy') return undefined;
    // A paused service that runs serves its dependents; one that does not is not coming back by itself.
    if (verdict.state === 'paused') return verdict.up ? undefined : 'it is paused and not running';
    if (readyForDependents(verdict)) return undefined;
    return verdict.action === 'restart' ? 'being restarted in this pass' : `it is ${verdict.state}`;
  }
  const result = view.result;
  if (!result) return 'not probed';
  if (result.status === 'up') return undefined;
  return result.reason;
}

/**
 * The explicit dependency probes the decision needs: those of services that are down, and of running services
 * with health settings (to blame a failing check on a dependency, or to see one recover). A healthy pass of a
 * config without health settings probes no dependency at all.
 */
/** When the boot grace ends (epoch ms), from the host's uptime at `now`; undefined when it is off, over or unknown. */
export function bootGraceEnd(uptimeMs: number | undefined, graceMs: number, now: number): number | undefined {
  if (graceMs <= 0 || uptimeMs === undefined || uptimeMs >= graceMs) return undefined;
  return now + (graceMs - uptimeMs);
}

export function depsToProbe(services: readonly Service[], liveness: ReadonlyMap<string, ProbeResult>): Dependency[] {
  const needed: Dependency[] = [];
  for (const service of services) {
    const status = liveness.get(service.name)?.status;
    if (status !== 'down' && !(status === 'up' && service.health)) continue;
    for (const dep of service.deps) if (dep.probe.kind !== 'service') needed.push(dep);
  }
  return needed;
}
