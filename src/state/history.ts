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
  restarts: ReadonlyMap<string, Pick<RestartResult, 'ok'>>,
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
  restart: Pick<RestartResult, 'ok'> | undefined,
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
    h.restarts.push({ at: now, ok: restart.ok });
    if (!restart.ok) h.consecutiveFailures += 1;
  }
  const lastRestart = h.restarts[h.restarts.length - 1];
  h.restarts = h.restarts.filter((r) => r.at > now - policy.windowMs || r === lastRestart);
  return h;
}
