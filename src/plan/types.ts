// What the decision stage produces: one verdict per service, with the observations behind it.
import type { Dependency, Service } from '../config/types.js';
import type { ProbeResult } from '../probe/types.js';
import type { Pause } from './history.js';

export type Verdict =
  | { action: 'none'; state: 'healthy'; reason: string }
  | { action: 'restart'; state: 'down'; reason: string }
  /** Down, but a direct dependency is not ready: nothing is run. */
  | { action: 'none'; state: 'blocked'; reason: string; dep: string; depReason: string }
  /** The liveness probe could not tell: never restart on unknown. */
  | { action: 'none'; state: 'unknown'; reason: string }
  /** Down, but restarted moments ago: inside its start grace, not judged yet. */
  | { action: 'none'; state: 'starting'; reason: string; until: number }
  /** Down, but its restart limit is spent: no restart before `until`. `newly` when this pass spent it. */
  | { action: 'none'; state: 'gave_up'; reason: string; until: number; level: number; newly: boolean }
  /** Paused by an operator: probed and reported, never started or stopped. `up` as its liveness probe found. */
  | { action: 'none'; state: 'paused'; reason: string; up: boolean; pause: Pause };

/** A dependency as the decision saw it; `result` is absent when it was not probed. */
export interface DepView {
  dep: Dependency;
  result?: ProbeResult;
}

export interface PlanEntry {
  /** The service as configured: the stages after the decision need nothing else to act on it. */
  service: Service;
  verdict: Verdict;
  liveness: ProbeResult;
  deps: DepView[];
}

/** Entries in dependency order: every service after the services it depends on. */
export interface Plan {
  entries: PlanEntry[];
}
