// What a pass writes to the audit log (pure): restarts started and how they ended, limits reached.
import type { RestartRequest, RestartResult } from '../act/types.js';
import type { Plan } from '../plan/types.js';
import type { AuditEvent } from './audit-line.js';

/** One `restart_started` per request, written before any script runs. */
export function buildStartedEvents(requests: readonly RestartRequest[], now: number): AuditEvent[] {
  const at = new Date(now).toISOString();
  return requests.map((r) => ({ at, service: r.service, event: 'restart_started', reason: r.reason }));
}

/** How each restart ended, and every service whose restart limit this pass reached. */
export function buildOutcomeEvents(plan: Plan, results: ReadonlyMap<string, RestartResult>, now: number): AuditEvent[] {
  const at = new Date(now).toISOString();
  const events: AuditEvent[] = [];
  for (const entry of plan.entries) {
    const service = entry.service.name;
    const v = entry.verdict;
    if (v.state === 'gave_up' && v.newly) {
      events.push({ at, service, event: 'gave_up', reason: v.reason, until: new Date(v.until).toISOString() });
    }
    const r = results.get(service);
    if (!r) continue;
    const event = r.ok ? 'restart_finished' : r.timedOut ? 'restart_timed_out' : 'restart_failed';
    events.push({
      at,
      service,
      event,
      durationMs: Math.round(r.durationMs),
      log: r.logPath,
      ...(r.exitCode === undefined ? {} : { exitCode: r.exitCode }),
      ...(r.signal === undefined ? {} : { signal: r.signal }),
      ...(r.error === undefined ? {} : { reason: r.error }),
    });
  }
  return events;
}
