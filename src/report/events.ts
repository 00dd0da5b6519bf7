// The actions of a pass as events (pure): what notify commands receive and what the system log records.
import type { Change, ChangeEvent } from './changes.js';
import type { PassReport } from './model.js';
import { detail } from './text.js';

export interface PassEvent {
  event: ChangeEvent;
  service: string;
  /** One line: what happened and why, with the dependency's target for `blocked`. */
  reason: string;
  /** ISO 8601. */
  at: string;
  dependency?: { name: string; target: string };
}

/** Events notify commands are told about; `paused` and `unknown` only reach the log, reminders nothing. */
export const NOTIFY_EVENTS: ReadonlySet<ChangeEvent> = new Set(['restarted', 'restart_failed', 'unhealthy', 'gave_up', 'recovered', 'blocked']);

/** One event per change that is news (reminders are not). */
export function buildEvents(report: PassReport, changes: readonly Change[]): PassEvent[] {
  const byName = new Map(report.services.map((s) => [s.name, s]));
  const events: PassEvent[] = [];
  for (const c of changes) {
    const s = byName.get(c.service);
    if (!s || c.reminder) continue;
    const reason = c.event === 'recovered' ? `${s.reason}; healthy again` : detail(s, report.startedAt);
    events.push({
      event: c.event,
      service: s.name,
      reason,
      at: new Date(report.startedAt).toISOString(),
      ...(s.blockedBy ? { dependency: { name: s.blockedBy.name, target: s.blockedBy.target } } : {}),
    });
  }
  return events;
}
