// The outcome of a pass as data (pure): the plan joined with what the restarts did.
import type { RestartResult } from '../act/types.js';
import type { Dependency } from '../config/types.js';
import type { Pause } from '../plan/history.js';
import type { Change } from './changes.js';
import type { Plan } from '../plan/types.js';
import type { ProbeResult } from '../probe/types.js';
import type { Usage } from '../probe/usage.js';

/**
 * Every final state a service can have after a pass: the one list that the text and JSON reports, the metrics
 * and the report schema (a test keeps schema/report.schema.json equal to it) are built from.
 */
export const SERVICE_STATES = ['healthy', 'restarted', 'restart_failed', 'would_restart', 'blocked', 'unknown', 'starting', 'gave_up', 'paused'] as const;

/** Final state of one service after the pass. */
export type ServiceState = (typeof SERVICE_STATES)[number];

export interface DepReport {
  name: string;
  /** What was probed: `tcp 127.0.0.1:80`, `http://…`, or `service api`. */
  target: string;
  /** Absent when the decision did not need this probe. */
  result?: ProbeResult;
}

export interface ServiceReport {
  name: string;
  state: ServiceState;
  /** Why the service is in this state, one line. */
  reason: string;
  liveness: ProbeResult;
  deps: DepReport[];
  /** For `blocked`: the dependency that is not ready, what was probed, and why. */
  blockedBy?: { name: string; target: string; reason: string };
  restart?: RestartResult;
  /** For `starting`: the end of its start grace; for `gave_up`: the next try. ISO 8601. */
  until?: string;
  /** What the service's process uses (--json and --verbose only). */
  usage?: Usage;
  /** For `paused`: who paused it, since and until when (ISO 8601), and why. */
  pause?: PauseReport;
}

export interface PauseReport {
  by: string;
  since: string;
  until?: string;
  reason?: string;
}

/** A pause as the reports show it: times in ISO 8601. */
export function describePause(p: Pause): PauseReport {
  return {
    by: p.by,
    since: new Date(p.since).toISOString(),
    ...(p.until === undefined ? {} : { until: new Date(p.until).toISOString() }),
    ...(p.reason === undefined ? {} : { reason: p.reason }),
  };
}

export interface PassReport {
  /** When the pass started, epoch ms: the `now` of its decisions. */
  startedAt: number;
  dryRun: boolean;
  durationMs: number;
  services: ServiceReport[];
  /** Problems the pass recovered from (a corrupt state file). */
  warnings?: string[];
  /** The stop signal received during the pass: it started no new work and exits 3. */
  interrupted?: NodeJS.Signals;
  /** What changed since the last pass (absent in a dry run, which compares nothing). */
  changes?: Change[];
}

/** How a dependency is probed, for people. */
export function describeTarget(dep: Dependency): string {
  switch (dep.probe.kind) {
    case 'tcp':
      return `tcp ${dep.probe.host}:${dep.probe.port}`;
    case 'http':
      return dep.probe.url;
    case 'service':
      return `service ${dep.name}`;
  }
}

/** Joins the plan with the restart results (by service name); a dry run restarts nothing. */
export function buildReport(
  plan: Plan,
  restarts: ReadonlyMap<string, RestartResult>,
  dryRun: boolean,
  startedAt: number,
  durationMs: number,
): PassReport {
  const services = plan.entries.map((entry): ServiceReport => {
    const base = {
      name: entry.service.name,
      liveness: entry.liveness,
      deps: entry.deps.map(({ dep, result }) => (result ? { name: dep.name, target: describeTarget(dep), result } : { name: dep.name, target: describeTarget(dep) })),
    };
    const v = entry.verdict;
    if (v.state === 'blocked') {
      const target = base.deps.find((d) => d.name === v.dep)?.target ?? `service ${v.dep}`;
      return { ...base, state: 'blocked', reason: v.reason, blockedBy: { name: v.dep, target, reason: v.depReason } };
    }
    if (v.state === 'paused') return { ...base, state: 'paused', reason: v.reason, pause: describePause(v.pause) };
    if (v.state === 'starting' || v.state === 'gave_up') return { ...base, state: v.state, reason: v.reason, until: new Date(v.until).toISOString() };
    if (v.action !== 'restart') return { ...base, state: v.state, reason: v.reason };
    const restart = restarts.get(entry.service.name);
    if (!restart) return { ...base, state: dryRun ? 'would_restart' : 'restart_failed', reason: v.reason };
    return { ...base, state: restart.ok ? 'restarted' : 'restart_failed', reason: v.reason, restart };
  });
  return { startedAt, dryRun, durationMs, services };
}

/** The report with each service's process usage attached, matched by the pid its liveness probe found. */
export function attachUsage(report: PassReport, usage: ReadonlyMap<number, Usage>): PassReport {
  const services = report.services.map((s) => {
    const found = s.liveness.pid === undefined ? undefined : usage.get(s.liveness.pid);
    return found ? { ...s, usage: found } : s;
  });
  return { ...report, services };
}
