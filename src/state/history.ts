// How one pass changes the history (pure): outages, restarts and their outcomes, backoff.
import type { RestartResult } from '../act/types.js';
import type { Service } from '../config/types.js';
import type { Plan } from '../plan/types.js';
import { cameUpSince } from '../plan/policy.js';
import { emptyHistory, emptyState, historyOf, type ServiceHistory, type State } from './types.js';

/**
 * The state after a pass: what was observed and done at `now`. Services no longer in the config are
 * dropped; restarts older than the window are pruned, but the last one is kept for its start grace.
 */
export function recordPass(
  state: State,
  plan: Plan,
  restarts: ReadonlyMap<string, Pick<RestartResult, 'ok'> & { durationMs?: number }>,
  services: readonly Service[],
  now: number,
): State {
  const byName = new Map(services.map((s) => [s.name, s]));
  const next = emptyState();
  for (const entry of plan.entries) {
    const service = byName.get(entry.name);
    if (!service) continue;
    const h = recordService(historyOf(state, entry.name) ?? emptyHistory(), entry, restarts.get(entry.name), service, now);
    next.services[entry.name] = h;
  }
  return next;
}

function recordService(
  old: ServiceHistory,
  entry: Plan['entries'][number],
  restart: (Pick<RestartResult, 'ok'> & { durationMs?: number }) | undefined,
  service: Service,
  now: number,
): ServiceHistory {
  const { policy } = service;
  const h: ServiceHistory = { ...old, restarts: old.restarts.map((r) => ({ ...r })) };
  const status = entry.liveness.status;
  if (status === 'up') {
    h.healthySince ??= now;
    delete h.downSince;
    h.consecutiveFailures = 0;
    // Healthy for a whole window: whatever made it die is over, so the backoff starts from the bottom again.
    if (now - h.healthySince >= policy.windowMs) h.backoffLevel = 0;
  } else if (status === 'down') {
    const last = h.restarts[h.restarts.length - 1];
    // Still dead once its grace is over and never seen up since: that restart did not work.
    if (last?.ok && !cameUpSince(old, last.at) && now >= last.at + policy.startGraceMs) {
      last.ok = false;
      h.consecutiveFailures += 1;
    }
    delete h.healthySince;
    h.downSince ??= now;
  }
  const v = entry.verdict;
  if (v.state === 'gave_up' && v.newly) {
    h.backoffLevel = v.level;
    h.backoffUntil = v.until;
  }
  if (restart) {
    // Dated when the script returned: the start grace counts from there, not from before a slow script ran.
    h.restarts.push({ at: now + Math.round(restart.durationMs ?? 0), ok: restart.ok });
    if (!restart.ok) h.consecutiveFailures += 1;
  }
  const lastRestart = h.restarts[h.restarts.length - 1];
  h.restarts = h.restarts.filter((r) => r.at > now - policy.windowMs || r === lastRestart);
  return h;
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
    next.services[service.name] = c;
  }
  return next;
}
