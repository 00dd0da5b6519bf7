// Judging a running service that has health settings (pure): its check, its limits, and a dependency's recovery.
import type { Health, Service } from '../config/types.js';
import { formatSize } from '../config/size.js';
import type { ProbeResult } from '../probe/types.js';
import type { ServiceHistory } from './history.js';
import { gateRestart, restartVerdict } from './policy.js';
import type { HealthView, NotReady, RestartCause, Verdict } from './types.js';

export type { NotReady };

/** What the pass observed of a running service besides its liveness. */
export interface HealthSeen {
  check?: ProbeResult;
  /** Its process's usage (pidusage), when it has max_memory or max_cpu and could be read. */
  usage?: { rssBytes: number; cpuTimeMs: number; uptimeMs: number };
}

// A sample taken this long before the process started is another process with a recycled pid.
const UPTIME_SLACK_MS = 1000;

/**
 * The verdict of a running service with health settings, and what the history keeps of this pass. Order:
 * inside its start grace nothing is counted; a dependency that recovered restarts it; a failing check with a
 * dependency not ready blames the dependency; otherwise failures are counted and, at `failures`, it is restarted.
 */
export function judgeRunning(
  service: Service & { health: Health },
  liveness: ProbeResult,
  seen: HealthSeen | undefined,
  notReady: NotReady | undefined,
  history: ServiceHistory | undefined,
  now: number,
  bootUntil?: number,
): { verdict: Verdict; view: HealthView } {
  const h = service.health;
  const prior = history?.unhealthyPasses ?? 0;
  const usage = seen?.usage;
  const cpuPercent = usage && liveness.pid !== undefined ? cpuSince(history?.cpuSample, liveness.pid, usage, now) : undefined;
  const view: HealthView = {
    ...(seen?.check ? { check: seen.check } : {}),
    ...(usage ? { rssBytes: usage.rssBytes } : {}),
    ...(cpuPercent === undefined ? {} : { cpuPercent }),
    failures: 0,
    of: h.failures,
    ...(usage && liveness.pid !== undefined ? { cpuSample: { pid: liveness.pid, cpuTimeMs: usage.cpuTimeMs, at: now } } : {}),
  };
  const seenDown = h.restartOnDependencyRecovery ? (notReady?.dep ?? history?.dependencyDown) : undefined;
  if (seenDown !== undefined) view.dependencyDown = seenDown;
  const check = seen?.check;
  const over = overLimits(h, usage?.rssBytes, cpuPercent);
  const failing = check?.status === 'down' ? `check failed` : over[0]?.text;
  const gate = gateRestart(history, service.policy, now);
  const done = (verdict: Verdict): { verdict: Verdict; view: HealthView } => ({ verdict, view });

  if (gate.kind === 'starting') {
    const problem =
      check?.status === 'down'
        ? `check failed: ${check.reason}`
        : check?.status === 'unknown'
          ? `check could not tell: ${check.reason}`
          : over[0]?.text;
    if (problem === undefined) return done({ action: 'none', state: 'healthy', reason: describeHealthy(liveness, check, notReady, h) });
    return done({ action: 'none', state: 'starting', reason: problem, until: gate.until });
  }
  const restart = (cause: RestartCause, reason: string): Verdict =>
    restartVerdict(service, history, now, reason, notReady, bootUntil, { state: 'unhealthy', cause });
  if (h.restartOnDependencyRecovery && history?.dependencyDown !== undefined && !notReady) {
    delete view.dependencyDown;
    return done(restart('dependency_recovered', `dependency ${history.dependencyDown} recovered`));
  }
  if (check?.status === 'down' && notReady) {
    view.failures = prior;
    return done({ action: 'none', state: 'blocked', reason: `check failed: ${check.reason}`, dep: notReady.dep, depReason: notReady.why });
  }
  if (failing === undefined) {
    if (check?.status === 'unknown') {
      view.failures = prior;
      return done({ action: 'none', state: 'unknown', reason: `check could not tell: ${check.reason}; not counted` });
    }
    return done({ action: 'none', state: 'healthy', reason: describeHealthy(liveness, check, notReady, h) });
  }
  const count = prior + 1;
  view.failures = count;
  const cause: RestartCause = check?.status === 'down' ? 'check' : over[0]!.cause;
  if (count < h.failures) {
    const reason =
      cause === 'check' ? `check failed ${count} of ${h.failures}: ${check!.reason}` : `${over[0]!.text} for ${count} of ${h.failures} passes`;
    return done({ action: 'none', state: 'checking', reason });
  }
  // Past the threshold (a failed stop, a spent restart limit) "5 of 2" would read wrong: say how long it has lasted.
  const failed = count > h.failures ? `${count} passes in a row` : `${count} of ${h.failures}`;
  const reason = cause === 'check' ? `check failed ${failed}: ${check!.reason}` : `${over[0]!.text} for ${count} pass${count === 1 ? '' : 'es'}`;
  return done(restart(cause, reason));
}

/** The limits the service is over this pass, memory first. */
function overLimits(h: Health, rssBytes: number | undefined, cpuPercent: number | undefined): { cause: RestartCause; text: string }[] {
  const over: { cause: RestartCause; text: string }[] = [];
  if (h.maxMemoryBytes !== undefined && rssBytes !== undefined && rssBytes > h.maxMemoryBytes) {
    over.push({ cause: 'max_memory', text: `rss ${formatSize(rssBytes)} > max_memory ${formatSize(h.maxMemoryBytes)}` });
  }
  if (h.maxCpuPercent !== undefined && cpuPercent !== undefined && cpuPercent > h.maxCpuPercent) {
    over.push({ cause: 'max_cpu', text: `cpu ${Math.round(cpuPercent)}% > max_cpu ${h.maxCpuPercent}%` });
  }
  return over;
}

/**
 * Percent of one core the process used since the previous pass's sample, or undefined when there is none of this
 * very process (first pass, another pid, or a pid recycled since: a process younger than the sample).
 */
export function cpuSince(
  sample: { pid: number; cpuTimeMs: number; at: number } | undefined,
  pid: number,
  usage: { cpuTimeMs: number; uptimeMs: number },
  now: number,
): number | undefined {
  if (!sample || sample.pid !== pid || now <= sample.at || usage.uptimeMs + UPTIME_SLACK_MS < now - sample.at) return undefined;
  const used = usage.cpuTimeMs - sample.cpuTimeMs;
  return used < 0 ? undefined : (used / (now - sample.at)) * 100;
}

function describeHealthy(liveness: ProbeResult, check: ProbeResult | undefined, notReady: NotReady | undefined, h: Health): string {
  const passed = check ? `; check passed: ${check.reason}` : '';
  const waiting = notReady && h.restartOnDependencyRecovery ? `; ${notReady.dep} is not ready: restarted once it recovers` : '';
  return `${liveness.reason}${passed}${waiting}`;
}
