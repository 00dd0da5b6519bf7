// What autoheal-once remembers between passes, per service, and how one pass changes it (pure).
// Times are epoch milliseconds.
import type { Service } from '../config/types.js';
import type { Plan, PlanEntry } from './types.js';

/** One restart the pass ran. `ok` turns false when the service is still dead after its start grace. */
export interface RestartRecord {
  at: number;
  ok: boolean;
}

/** An operator's pause: the service is probed and reported, never started or stopped. */
export interface Pause {
  /** Who paused it (the login name behind sudo when there is one). */
  by: string;
  since: number;
  /** The pause ends by itself at this time; absent: until `resume`. */
  until?: number;
  reason?: string;
}

/** What the last report said about the service, so the next one can print only what changed. */
export interface Reported {
  /** The state reported (a report state such as `blocked`), with the dependency for `blocked`. */
  state: string;
  /** When the service entered that state. */
  since: number;
  /** When a line about it was last printed: an ongoing problem is repeated once per `remind`. */
  at: number;
}

export interface ServiceHistory {
  /** Restarts, oldest first; only those inside the restart window and the last one are kept. */
  restarts: RestartRecord[];
  /** When the current outage was first seen; absent while the service is healthy. */
  downSince?: number;
  /** When the service was last seen turning healthy; absent while it is not. */
  healthySince?: number;
  /** After the restart limit was reached: no restart before this time. */
  backoffUntil?: number;
  /** How many times in a row the limit was reached: the backoff doubles with each. */
  backoffLevel: number;
  pause?: Pause;
  /** Restart scripts run, and restarts that failed, since the state began: the metrics' counters. */
  restartsTotal?: number;
  failuresTotal?: number;
  reported?: Reported;
  /** Passes in a row the running service failed its check or exceeded a limit. */
  unhealthyPasses?: number;
  /** With restart_on_dependency_recovery: a dependency seen not ready while the service ran. */
  dependencyDown?: string;
  /** Its process's CPU time at the last pass, for max_cpu. */
  cpuSample?: { pid: number; cpuTimeMs: number; at: number };
}

/** The whole state file. */
export interface State {
  version: 1;
  services: Record<string, ServiceHistory>;
}

/** What the history needs of a restart that ran: whether its script succeeded, and how long it took. */
export interface RestartOutcome {
  ok: boolean;
  durationMs?: number;
  /** For a running service: whether it was stopped. When not, it still runs, as unhealthy as before. */
  stop?: { ok: boolean };
}

export const emptyHistory = (): ServiceHistory => ({ restarts: [], backoffLevel: 0 });
// A null prototype: service names such as `constructor` or `__proto__` must be plain keys.
export const emptyState = (): State => ({ version: 1, services: Object.create(null) as Record<string, ServiceHistory> });

/** The history of one service, never one inherited from Object.prototype. */
export const historyOf = (state: State, name: string): ServiceHistory | undefined =>
  Object.hasOwn(state.services, name) ? state.services[name] : undefined;

/**
 * Whether the service was seen healthy after `at`: it is healthy since then, or an outage began after it (an
 * outage ends only when the service is seen healthy, so one that began later followed a healthy spell).
 */
export function cameUpSince(history: ServiceHistory, at: number): boolean {
  return (history.healthySince !== undefined && history.healthySince > at) || (history.downSince !== undefined && history.downSince > at);
}

/**
 * The state after a pass: what was observed and done at `now`. Services no longer in the plan are dropped;
 * restarts older than the window are pruned, but the last one is kept for its start grace.
 */
export function recordPass(state: State, plan: Plan, restarts: ReadonlyMap<string, RestartOutcome>, now: number): State {
  const next = emptyState();
  for (const entry of plan.entries) {
    const name = entry.service.name;
    next.services[name] = recordService(historyOf(state, name) ?? emptyHistory(), entry, restarts.get(name), now);
  }
  return next;
}

function recordService(old: ServiceHistory, entry: PlanEntry, restart: RestartOutcome | undefined, now: number): ServiceHistory {
  const { policy } = entry.service;
  const h: ServiceHistory = { ...old, restarts: old.restarts.map((r) => ({ ...r })) };
  const status = entry.liveness.status;
  // A running service that fails its health is not healthy: its backoff must not reset, and a restart's grace
  // ends only once it passes.
  if (status === 'up' && entry.verdict.state !== 'healthy') {
    delete h.healthySince;
  } else if (status === 'up') {
    h.healthySince ??= now;
    delete h.downSince;
    // Healthy for a whole window: whatever made it die is over, so the backoff starts from the bottom again.
    if (now - h.healthySince >= policy.windowMs) h.backoffLevel = 0;
  } else if (status === 'down') {
    const last = h.restarts[h.restarts.length - 1];
    // Still dead once its grace is over and never seen up since: that restart did not work.
    if (last?.ok && !cameUpSince(old, last.at) && now >= last.at + policy.startGraceMs) {
      last.ok = false;
      h.failuresTotal = (h.failuresTotal ?? 0) + 1;
    }
    delete h.healthySince;
    h.downSince ??= now;
  }
  recordHealth(h, entry, restart);
  const v = entry.verdict;
  if (v.state === 'gave_up' && v.newly) {
    h.backoffLevel = v.level;
    h.backoffUntil = v.until;
  }
  // Dated when the script returned: the start grace counts from there, not from before a slow script ran.
  if (restart) {
    h.restarts.push({ at: now + Math.round(restart.durationMs ?? 0), ok: restart.ok });
    h.restartsTotal = (h.restartsTotal ?? 0) + 1;
    if (!restart.ok) h.failuresTotal = (h.failuresTotal ?? 0) + 1;
  }
  if (h.pause?.until !== undefined && h.pause.until <= now) delete h.pause;
  const lastRestart = h.restarts[h.restarts.length - 1];
  h.restarts = h.restarts.filter((r) => r.at > now - policy.windowMs || r === lastRestart);
  return h;
}

/**
 * The health counters: kept from the pass's view while the service runs; a restart or an outage clears them.
 * A restart whose stop failed did not restart anything: the service runs, still unhealthy, so its count and a
 * dependency's recovery are kept and the next pass tries again, within the limits this failed attempt counts against.
 */
function recordHealth(h: ServiceHistory, entry: PlanEntry, restart: RestartOutcome | undefined): void {
  const view = entry.health;
  const recovered = h.dependencyDown;
  delete h.unhealthyPasses;
  delete h.dependencyDown;
  delete h.cpuSample;
  if (entry.liveness.status !== 'up' || !view) return;
  if (view.cpuSample) h.cpuSample = { ...view.cpuSample };
  const notStopped = restart?.stop?.ok === false;
  if (restart && !notStopped) return;
  if (view.failures > 0) h.unhealthyPasses = view.failures;
  const dependencyDown = view.dependencyDown ?? (notStopped ? recovered : undefined);
  if (dependencyDown !== undefined) h.dependencyDown = dependencyDown;
}

/**
 * The history with no time after `now` and no backoff longer than backoff_max from now. After a power cut the
 * clock is often stepped back (an RTC ahead, corrected by NTP): a restart dated in the future would keep its
 * service `starting`, and a backoff dated there would keep it given up, for as long as the step.
 */
export function clampToNow(state: State, services: readonly Service[], now: number): State {
  const next = emptyState();
  for (const service of services) {
    const h = historyOf(state, service.name);
    if (!h) continue;
    const c: ServiceHistory = { ...h, restarts: h.restarts.map((r) => ({ ...r, at: Math.min(r.at, now) })) };
    if (c.downSince !== undefined) c.downSince = Math.min(c.downSince, now);
    if (c.healthySince !== undefined) c.healthySince = Math.min(c.healthySince, now);
    if (c.backoffUntil !== undefined) c.backoffUntil = Math.min(c.backoffUntil, now + service.policy.backoffMaxMs);
    if (c.pause) c.pause = { ...c.pause, since: Math.min(c.pause.since, now) };
    if (c.reported) c.reported = { ...c.reported, since: Math.min(c.reported.since, now), at: Math.min(c.reported.at, now) };
    if (c.cpuSample !== undefined) c.cpuSample = { ...c.cpuSample, at: Math.min(c.cpuSample.at, now) };
    next.services[service.name] = c;
  }
  return next;
}

/** The pause in force at `now`, if any: one whose end has come is over even before a pass removes it. */
export function activePause(history: ServiceHistory | undefined, now: number): Pause | undefined {
  const pause = history?.pause;
  return pause && (pause.until === undefined || now < pause.until) ? pause : undefined;
}

/**
 * The state with each service's health counters (failed checks in a row, CPU sample) as they were in `before`,
 * the state the run began with: a converging run re-decides every round, but counts a failing check once.
 * A dependency seen down during the run is kept, so its recovery within the run restarts the service.
 */
export function keepRunCounters(state: State, before: State): State {
  const next = emptyState();
  for (const [name, h] of Object.entries(state.services)) {
    const old = historyOf(before, name);
    const c: ServiceHistory = { ...h };
    delete c.unhealthyPasses;
    delete c.cpuSample;
    if (old?.unhealthyPasses !== undefined) c.unhealthyPasses = old.unhealthyPasses;
    if (old?.cpuSample !== undefined) c.cpuSample = old.cpuSample;
    next.services[name] = c;
  }
  return next;
}
