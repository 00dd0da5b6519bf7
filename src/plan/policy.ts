// Restart limits (pure): start grace, at most N restarts per window, then an exponential backoff.
import type { RestartPolicy } from '../config/types.js';
import type { Service } from '../config/types.js';
import { cameUpSince, type ServiceHistory } from './history.js';
import type { NotReady, RestartCause, Verdict } from './types.js';

/** What the history allows for a service that is down. */
export type Gate =
  | { kind: 'allowed' }
  /** Restarted moments ago: give it its grace before judging it again. */
  | { kind: 'starting'; until: number }
  /** Limit reached: no restart before `until`. `newly` when this pass is the one that reached it. */
  | { kind: 'gave_up'; until: number; level: number; newly: boolean };

/** The wait after the limit is reached for the `level`-th time in a row: backoff, doubled each time, capped. */
export function backoffFor(level: number, policy: RestartPolicy): number {
  return Math.min(policy.backoffMs * 2 ** Math.max(0, level - 1), policy.backoffMaxMs);
}

/**
 * Restarts that count against the limit: inside the window, and after the last backoff ended, so that
 * a service gets a fresh burst of max_restarts once its backoff is over.
 */
export function countedRestarts(history: ServiceHistory, policy: RestartPolicy, now: number): number {
  const burstStart = history.backoffUntil ?? -Infinity;
  return history.restarts.filter((r) => r.at > now - policy.windowMs && r.at >= burstStart).length;
}

/** Decides whether a down service may be restarted now. */
export function gateRestart(history: ServiceHistory | undefined, policy: RestartPolicy, now: number): Gate {
  if (!history) return { kind: 'allowed' };
  const last = history.restarts[history.restarts.length - 1];
  // The grace covers coming up; a service seen up since its restart that died again is a new outage.
  if (last?.ok && now < last.at + policy.startGraceMs && !cameUpSince(history, last.at)) {
    return { kind: 'starting', until: last.at + policy.startGraceMs };
  }
  if (history.backoffUntil !== undefined && now < history.backoffUntil) {
    return { kind: 'gave_up', until: history.backoffUntil, level: history.backoffLevel, newly: false };
  }
  if (countedRestarts(history, policy, now) < policy.maxRestarts) return { kind: 'allowed' };
  const level = history.backoffLevel + 1;
  return { kind: 'gave_up', until: now + backoffFor(level, policy), level, newly: true };
}

/**
 * Whether a service the pass would restart (dead, or running but unhealthy) is restarted now, and else why not.
 * A service in its start grace, or in a backoff begun earlier, is not restarted whatever its dependencies say.
 * Waiting costs nothing: a service waiting for the boot or for a dependency would not be restarted anyway, so it
 * does not reach its restart limit (and start a backoff) until a restart is really due.
 */
export function restartVerdict(
  service: Service,
  history: ServiceHistory | undefined,
  now: number,
  reason: string,
  notReady: NotReady | undefined,
  bootUntil: number | undefined,
  restart: { state: 'down' } | { state: 'unhealthy'; cause: RestartCause },
): Verdict {
  const gate = gateRestart(history, service.policy, now);
  if (gate.kind === 'starting') return { action: 'none', state: 'starting', reason, until: gate.until };
  if (gate.kind === 'gave_up' && !gate.newly) return { action: 'none', state: 'gave_up', reason, until: gate.until, level: gate.level, newly: false };
  const blocked = notReady ? { dep: notReady.dep, depReason: notReady.why } : undefined;
  if (bootUntil !== undefined) return { action: 'none', state: 'booting', reason, until: bootUntil, ...blocked };
  if (blocked) return { action: 'none', state: 'blocked', reason, ...blocked };
  if (gate.kind === 'gave_up') return { action: 'none', state: 'gave_up', reason, until: gate.until, level: gate.level, newly: true };
  return { action: 'restart', reason, ...restart };
}
