// The outcome of a pass as data (pure): the plan joined with what the restarts did.
import type { RestartResult } from '../act/types.js';
import type { Dependency } from '../config/types.js';
import type { Pause } from '../plan/history.js';
import type { Change } from './changes.js';
import type { HealthView, Plan, RestartCause } from '../plan/types.js';
import { buildStopRequest } from '../act/requests.js';
import type { StopRequest } from '../act/types.js';
import type { ProbeResult } from '../probe/types.js';
import type { Usage } from '../probe/usage.js';

/**
 * Every final state of one service after the pass, in one place: the text and JSON reports, the exit code, the
 * metrics, and the report schema (a test keeps schema/report.schema.json equal to it) read this list.
 */
export const SERVICE_STATES = [
  'healthy',
  'restarted',
  'restart_failed',
  'would_restart',
  'blocked',
  'unknown',
  'starting',
  /** Down or unhealthy, inside the host's boot grace: nothing is started or stopped yet. */
  'booting',
  'gave_up',
  /** Running but failing its check (or over a limit), fewer passes in a row than `failures`. */
  'checking',
  /** Running but broken, and its stop failed: not restarted. */
  'unhealthy',
  /** Paused by an operator: probed and reported, never started or stopped. */
  'paused',
] as const;

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
  /** For `starting`: the end of its start grace; for `booting`: the end of the boot grace; for `gave_up`: the next try. ISO 8601. */
  until?: string;
  /** In a converging run, for a restart: the round that ran it and when, in ms since the run began. */
  round?: { round: number; atMs: number };
  /** What the service's process uses (--json and --verbose only). */
  usage?: Usage;
  /** For `paused`: who paused it, since and until when (ISO 8601), and why. */
  pause?: PauseReport;
  /** A running service with health settings: its check's last result, failures counted, usage against limits. */
  health?: Omit<HealthView, 'cpuSample'>;
  /** Why a running service is (or would be) restarted. */
  cause?: RestartCause;
  /** How a running service is (or would be) stopped before its script runs. */
  stop?: StopRequest;
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

/** One round of a converging run. */
export interface RoundReport {
  round: number;
  /** When the round began, in ms since the run began. */
  atMs: number;
  /** How many services the round probed (the first: all; later ones: only those still in flux). */
  probed: number;
  /** Services this round found up again (after the first round). */
  up: string[];
  restarted: string[];
  /** Services still in flux after this round. */
  waiting: string[];
}

export interface PassReport {
  /** When the pass started, epoch ms: the `now` of its decisions. */
  startedAt: number;
  dryRun: boolean;
  durationMs: number;
  services: ServiceReport[];
  /** Problems the pass recovered from (a corrupt state file). */
  warnings?: string[];
  /** The rounds of a converging run (`--converge`); absent for a single pass. */
  timeline?: RoundReport[];
  /** The stop signal received during the pass: it started no new work; UNKNOWN unless a service is CRITICAL. */
  interrupted?: NodeJS.Signals;
  /** What changed since the last pass (absent in a dry run, which compares nothing). */
  changes?: Change[];
  /** Why the restart history could not be saved (a full or read-only disk): the pass is at least CRITICAL. */
  unsaved?: string;
}

/** How a dependency is probed, for people. */
export function describeTarget(dep: Pick<Dependency, 'name' | 'probe'>): string {
  const p = dep.probe;
  switch (p.kind) {
    case 'tcp':
      return `tcp ${p.host}:${p.port}`;
    case 'http':
      return p.url;
    case 'socket':
      return `socket ${p.path}`;
    case 'command':
      return `command ${p.command}`;
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
      deps: entry.deps.map(({ dep, result }) =>
        result ? { name: dep.name, target: describeTarget(dep), result } : { name: dep.name, target: describeTarget(dep) },
      ),
    };
    if (entry.health) {
      const { cpuSample: _sample, ...health } = entry.health;
      Object.assign(base, { health });
    }
    const v = entry.verdict;
    if (v.state === 'blocked') {
      const target = base.deps.find((d) => d.name === v.dep)?.target ?? `service ${v.dep}`;
      return { ...base, state: 'blocked', reason: v.reason, blockedBy: { name: v.dep, target, reason: v.depReason } };
    }
    if (v.state === 'paused') return { ...base, state: 'paused', reason: v.reason, pause: describePause(v.pause) };
    if (v.state === 'unhealthy') {
      const planned = { ...base, cause: v.cause, stop: buildStopRequest(entry), reason: v.reason };
      const restart = restarts.get(entry.service.name);
      if (!restart) return { ...planned, state: dryRun ? 'would_restart' : 'restart_failed' };
      if (restart.stop && !restart.stop.ok) return { ...planned, state: 'unhealthy', restart };
      return { ...planned, state: restart.ok ? 'restarted' : 'restart_failed', restart };
    }
    if (v.state === 'booting') {
      const until = new Date(v.until).toISOString();
      return v.dep === undefined
        ? { ...base, state: 'booting', reason: v.reason, until }
        : {
            ...base,
            state: 'booting',
            reason: v.reason,
            until,
            blockedBy: { name: v.dep, target: base.deps.find((d) => d.name === v.dep)?.target ?? `service ${v.dep}`, reason: v.depReason ?? '' },
          };
    }
    if (v.state === 'starting' || v.state === 'gave_up') return { ...base, state: v.state, reason: v.reason, until: new Date(v.until).toISOString() };
    if (v.action !== 'restart') return { ...base, state: v.state, reason: v.reason };
    const restart = restarts.get(entry.service.name);
    if (!restart) return { ...base, state: dryRun ? 'would_restart' : 'restart_failed', reason: v.reason };
    return { ...base, state: restart.ok ? 'restarted' : 'restart_failed', reason: v.reason, restart };
  });
  return { startedAt, dryRun, durationMs, services };
}

/** A converging run's report: each restart with its round and time, and the rounds themselves. */
export function attachRounds(report: PassReport, rounds: ReadonlyMap<string, { round: number; atMs: number }>, timeline: RoundReport[]): PassReport {
  const services = report.services.map((s) => {
    const at = rounds.get(s.name);
    return at ? { ...s, round: { round: at.round, atMs: at.atMs } } : s;
  });
  return { ...report, services, timeline };
}

/** The report with each service's process usage attached, matched by the pid its liveness probe found. */
export function attachUsage(report: PassReport, usage: ReadonlyMap<number, Usage>): PassReport {
  const services = report.services.map((s) => {
    const found = s.state !== 'healthy' || s.liveness.pid === undefined ? undefined : usage.get(s.liveness.pid);
    return found ? { ...s, usage: found } : s;
  });
  return { ...report, services };
}
