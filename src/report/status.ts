// `status`: each service's state joined with what the history remembers of it (pure).
import type { Service } from '../config/types.js';
import { activePause, historyOf, type State } from '../plan/history.js';
import { countedRestarts } from '../plan/policy.js';
import { printable } from '../text/printable.js';
import { describePause, type PassReport, type PauseReport, type ServiceReport, type ServiceState } from './model.js';
import { formatSpan, labels } from './text.js';

export interface ServiceStatus {
  name: string;
  state: ServiceState;
  reason: string;
  /** When it was last seen turning healthy, or when its outage began (ISO 8601). */
  since?: string;
  blockedBy?: ServiceReport['blockedBy'];
  /** For `starting`: end of the start grace; for `gave_up`: the next try. */
  until?: string;
  lastRestart?: { at: string; ok: boolean };
  /** Restarts that count against max_restarts now, and the limit. */
  restartsInWindow: number;
  maxRestarts: number;
  windowMs: number;
  /** While its backoff runs: when it ends. */
  backoffUntil?: string;
  restartsTotal: number;
  failuresTotal: number;
  pause?: PauseReport;
}

export interface StatusReport {
  at: string;
  services: ServiceStatus[];
}

const iso = (ms: number): string => new Date(ms).toISOString();

/** The probe round's report (a dry run) with each service's history. */
export function buildStatus(report: PassReport, state: State, services: readonly Service[], now: number): StatusReport {
  const byName = new Map(services.map((s) => [s.name, s]));
  return {
    at: iso(now),
    services: report.services.map((s): ServiceStatus => {
      const h = historyOf(state, s.name);
      const policy = byName.get(s.name)!.policy;
      const last = h?.restarts[h.restarts.length - 1];
      const since = s.liveness.status === 'up' ? h?.healthySince : h?.downSince;
      const pause = activePause(h, now);
      return {
        name: s.name,
        state: s.state,
        reason: s.reason,
        ...(since === undefined ? {} : { since: iso(since) }),
        ...(s.blockedBy ? { blockedBy: s.blockedBy } : {}),
        ...(s.until ? { until: s.until } : {}),
        ...(last ? { lastRestart: { at: iso(last.at), ok: last.ok } } : {}),
        restartsInWindow: h ? countedRestarts(h, policy, now) : 0,
        maxRestarts: policy.maxRestarts,
        windowMs: policy.windowMs,
        ...(h?.backoffUntil !== undefined && h.backoffUntil > now ? { backoffUntil: iso(h.backoffUntil) } : {}),
        restartsTotal: h?.restartsTotal ?? 0,
        failuresTotal: h?.failuresTotal ?? 0,
        ...(pause ? { pause: describePause(pause) } : {}),
      };
    }),
  };
}

/** One line per service: state, since when, last restart, restarts in the window, backoff, pause. */
export function renderStatusText(status: StatusReport): string {
  const now = Date.parse(status.at);
  const width = Math.min(24, Math.max(0, ...status.services.map((s) => printable(s.name).length)));
  const lines = status.services.map((s) => {
    const parts = [s.since ? `since ${clock(s.since)} (${formatSpan(now - Date.parse(s.since))})` : 'since: no pass has recorded this state yet'];
    if (s.blockedBy) parts.push(`waiting for ${s.blockedBy.name} (${s.blockedBy.target}): ${s.blockedBy.reason}`);
    if (s.state !== 'healthy' && s.state !== 'paused' && s.state !== 'blocked') parts.push(s.reason);
    parts.push(s.lastRestart ? `last restart ${clock(s.lastRestart.at)} ${s.lastRestart.ok ? 'ok' : 'failed'}` : 'never restarted');
    parts.push(`${s.restartsInWindow}/${s.maxRestarts} restarts in ${formatSpan(s.windowMs)}`);
    if (s.backoffUntil) parts.push(`backoff ${formatSpan(Date.parse(s.backoffUntil) - now)} left`);
    if (s.pause) {
      const until = s.pause.until ? `until ${clock(s.pause.until)} (${formatSpan(Date.parse(s.pause.until) - now)} left)` : 'until resumed';
      parts.push(`paused by ${s.pause.by} ${until}${s.pause.reason ? `: ${s.pause.reason}` : ''}`);
    }
    return `${printable(s.name).padEnd(width)}  ${labels[s.state].padEnd(13)}  ${printable(parts.join('; '))}`;
  });
  return lines.length ? `${lines.join('\n')}\n` : 'no services\n';
}

function clock(isoTime: string): string {
  return `${isoTime.slice(0, 19).replace('T', ' ')} UTC`;
}
