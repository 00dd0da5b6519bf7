// The actions of a pass as system log lines (pure): facility daemon, a priority that fits each event.
import { printable } from '../text/printable.js';
import type { ChangeEvent } from './changes.js';
import type { PassEvent } from './events.js';

/** syslog(3) severities: 2 crit, 3 err, 4 warning, 5 notice, 6 info. */
const SEVERITY: Record<ChangeEvent, number> = {
  gave_up: 2,
  restart_failed: 3,
  unhealthy: 3,
  checking: 4,
  booting: 6,
  blocked: 4,
  unknown: 4,
  restarted: 5,
  paused: 5,
  recovered: 6,
};
const DAEMON = 3;

/** One `<PRI>service event: reason` line per event, as `logger --prio-prefix` reads them. */
export function renderSyslogLines(events: readonly PassEvent[]): string {
  return events.map((e) => `<${DAEMON * 8 + SEVERITY[e.event]}>${printable(`${e.service} ${e.event}: ${e.reason}`)}\n`).join('');
}
