// What the decision stage produces: one verdict per service, with the observations behind it.
import type { Dependency, Service } from '../config/types.js';
import type { ProbeResult } from '../probe/types.js';
import type { Pause } from './history.js';

/** Why a running service is restarted. */
export type RestartCause = 'check' | 'max_memory' | 'max_cpu' | 'dependency_recovered';

export type Verdict =
  | { action: 'none'; state: 'healthy'; reason: string }
  | { action: 'restart'; state: 'down'; reason: string }
  /** Running but broken: stopped, then started again. */
  | { action: 'restart'; state: 'unhealthy'; reason: string; cause: RestartCause }
  /** Running, failing its check or over a limit, fewer passes in a row than `failures`: counted, not restarted. */
  | { action: 'none'; state: 'checking'; reason: string }
  /** Down, but a direct dependency is not ready: nothing is run. */
  | { action: 'none'; state: 'blocked'; reason: string; dep: string; depReason: string }
  /** The liveness probe could not tell: never restart on unknown. */
  | { action: 'none'; state: 'unknown'; reason: string }
  /** Down, but restarted moments ago: inside its start grace, not judged yet. */
  | { action: 'none'; state: 'starting'; reason: string; until: number }
  /**
   * Down, and the host booted less than boot_grace ago: nothing is started, so init finishes first. `dep` and
   * `depReason` name a direct dependency that is not ready either, when there is one.
   */
  | { action: 'none'; state: 'booting'; reason: string; until: number; dep?: string; depReason?: string }
  /** Down, but its restart limit is spent: no restart before `until`. `newly` when this pass spent it. */
  | { action: 'none'; state: 'gave_up'; reason: string; until: number; level: number; newly: boolean }
  /** Paused by an operator: probed and reported, never started or stopped. `up` as its liveness probe found. */
  | { action: 'none'; state: 'paused'; reason: string; up: boolean; pause: Pause };

/** A dependency as the decision saw it; `result` is absent when it was not probed. */
export interface DepView {
  dep: Dependency;
  result?: ProbeResult;
}

/** What a pass saw of a running service's health, and what the history keeps of it. */
export interface HealthView {
  /** The check's result this pass, when it has a check and runs. */
  check?: ProbeResult;
  rssBytes?: number;
  /** Percent of one core since the previous pass's sample of the same process. */
  cpuPercent?: number;
  /** Failing passes in a row, this one included (0 when it passed, or when a dependency took the blame). */
  failures: number;
  /** The `failures` setting: how many make it unhealthy. */
  of: number;
  /** With restart_on_dependency_recovery: the dependency seen not ready while it ran, until it recovers. */
  dependencyDown?: string;
  /** CPU time of its process now, for the next pass's max_cpu. */
  cpuSample?: { pid: number; cpuTimeMs: number; at: number };
}

export interface PlanEntry {
  /** The service as configured: the stages after the decision need nothing else to act on it. */
  service: Service;
  verdict: Verdict;
  liveness: ProbeResult;
  deps: DepView[];
  /** Only for a running service that has health settings. */
  health?: HealthView;
}

/** Entries in dependency order: every service after the services it depends on. */
export interface Plan {
  entries: PlanEntry[];
}

/** The first direct dependency of a service that is not ready, and why. */
export interface NotReady {
  dep: string;
  why: string;
}
