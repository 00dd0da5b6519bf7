// What changed since the last pass (pure): cron mails every line printed, so a pass that runs every minute prints
// only news, and repeats an ongoing problem once per `remind`. The exit code still says the state every pass.
import { historyOf, type State } from '../plan/history.js';
import type { PassReport, ServiceReport } from './model.js';

/** What happened to a service, for people, notifications and the system log. */
export type ChangeEvent =
  | 'restarted'
  | 'restart_failed'
  | 'unhealthy'
  | 'gave_up'
  | 'blocked'
  | 'unknown'
  | 'checking'
  | 'booting'
  | 'recovered'
  | 'paused';

export interface Change {
  service: string;
  event: ChangeEvent;
  /** An ongoing problem told again after `remind`, not news. */
  reminder: boolean;
  /** When the ongoing state began (epoch ms); for `recovered`, when the outage began, if known. */
  since?: number;
}

// States that are a problem worth repeating while they last.
const ONGOING = new Set(['blocked', 'gave_up', 'unknown', 'checking', 'booting']);

/** Whether a reported state was a problem, so that healthy after it is news; after `restarted` it is expected. */
const wasProblem = (key: string): boolean =>
  key.startsWith('blocked:') || ['gave_up', 'unknown', 'restart_failed', 'unhealthy', 'checking'].includes(key);

/** The state as the change detection compares it: a blocked service waiting for another dependency is news. */
export function reportedKey(s: ServiceReport): string {
  return s.state === 'blocked' ? `blocked:${s.blockedBy?.name ?? ''}` : s.state;
}

/** The changes of this pass against what the previous report recorded in `previous`. */
export function detectChanges(report: PassReport, previous: State, remindMs: number, now: number): Change[] {
  const changes: Change[] = [];
  for (const s of report.services) {
    const h = historyOf(previous, s.name);
    const prev = h?.reported;
    const key = reportedKey(s);
    const base = { service: s.name };
    if (s.state === 'restarted' || s.state === 'restart_failed' || s.state === 'unhealthy') {
      changes.push({ ...base, event: s.state, reminder: false });
    } else if (s.state === 'healthy') {
      if (prev && wasProblem(prev.state)) {
        changes.push({ ...base, event: 'recovered', reminder: false, ...(h?.downSince === undefined ? {} : { since: h.downSince }) });
      }
    } else if (s.state === 'paused') {
      if (prev?.state !== 'paused') changes.push({ ...base, event: 'paused', reminder: false });
    } else if (ONGOING.has(s.state)) {
      const event = s.state as 'blocked' | 'gave_up' | 'unknown' | 'checking' | 'booting';
      if (prev?.state !== key) changes.push({ ...base, event, reminder: false });
      else if (now - prev.at >= remindMs) changes.push({ ...base, event, reminder: true, since: prev.since });
    }
  }
  return changes;
}

/** The state with what this report said recorded per service: the next pass compares against it. */
export function recordReported(state: State, report: PassReport, changes: readonly Change[], now: number): State {
  const told = new Set(changes.map((c) => c.service));
  const next: State = { ...state, services: Object.assign(Object.create(null) as State['services'], state.services) };
  for (const s of report.services) {
    const h = historyOf(next, s.name);
    if (!h) continue;
    const key = reportedKey(s);
    const prev = h.reported;
    if (prev?.state === key && !told.has(s.name)) continue;
    next.services[s.name] = { ...h, reported: { state: key, since: prev?.state === key ? prev.since : now, at: now } };
  }
  return next;
}
