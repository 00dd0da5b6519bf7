// The report as a Nagios plugin's output (pure): one status line with perfdata, then one line per problem.
// Icinga, Sensu, Zabbix and Naemon read the same convention.
import { printable } from '../text/printable.js';
import { passExitCode, stateCode, statusNames } from './exit-code.js';
import { SERVICE_STATES, type PassReport, type ServiceReport, type ServiceState } from './model.js';
import { detail, formatSpan } from './text.js';

/** The status line's text before ` | ` stays under 80 characters, as plugin guidelines ask. */
const MAX_TEXT = 79;

// Worst first: CRITICAL, UNKNOWN, WARNING, then OK; the same order the exit code ranks them.
const rank: Record<number, number> = { 2: 0, 3: 1, 1: 2, 0: 3 };

/** Perfdata label of each state: `failed` reads better than `restart_failed` on a graph. */
const perfLabel = (state: ServiceState): string => (state === 'restart_failed' ? 'failed' : state);

/** `AUTOHEAL CRITICAL - web blocked by api (timeout) | healthy=12;;; ... duration=0.21s;;;` and the problems. */
export function renderNagios(report: PassReport): string {
  const status = statusNames[passExitCode(report)];
  const problems = report.services.filter((s) => s.state !== 'healthy').sort((a, b) => rank[stateCode[a.state]]! - rank[stateCode[b.state]]!);
  let text: string;
  if (report.interrupted) text = `pass interrupted by ${report.interrupted}`;
  else if (problems.length === 0) text = `${report.services.length} service${report.services.length === 1 ? '' : 's'} healthy`;
  else text = phrase(problems[0]!, report.startedAt);
  const more = !report.interrupted && problems.length > 1 ? `, ${problems.length - 1} more` : '';
  const first = fit(`AUTOHEAL ${status} - `, text, more);
  const lines = [`${first} | ${perfdata(report)}`];
  for (const s of problems) lines.push(clean(`${s.name} ${s.state}: ${detail(s, report.startedAt)}`));
  for (const w of report.warnings ?? []) lines.push(clean(`warning: ${w}`));
  return `${lines.join('\n')}\n`;
}

/** What went wrong with one service, in a few words. */
function phrase(s: ServiceReport, now: number): string {
  switch (s.state) {
    case 'blocked':
      return `${s.name} blocked by ${s.blockedBy?.name} (${s.blockedBy?.reason})`;
    case 'restart_failed':
      return `${s.name} restart failed (${s.restart?.timedOut ? 'timed out' : (s.restart?.error ?? (s.restart?.signal ? `killed by ${s.restart.signal}` : `exit ${s.restart?.exitCode}`))})`;
    case 'gave_up':
      return `${s.name} gave up restarting, next try in ${formatSpan(Date.parse(s.until ?? '') - now)}`;
    case 'unknown':
      return `${s.name} unknown (${s.reason})`;
    case 'would_restart':
      return `${s.name} down, would be restarted`;
    default:
      return `${s.name} ${s.state}`;
  }
}

/** head + text + tail, the text cut with `...` so the whole stays within MAX_TEXT. */
function fit(head: string, text: string, tail: string): string {
  const body = clean(text);
  const room = Math.max(3, MAX_TEXT - head.length - tail.length);
  return head + (body.length > room ? `${body.slice(0, room - 3)}...` : body) + tail;
}

/** Escaped for a terminal, and without `|`, which would start the perfdata. */
function clean(text: string): string {
  return printable(text).replaceAll('|', '/');
}

/** One `label=value;;;` per state, then the pass duration. */
function perfdata(report: PassReport): string {
  const counts = new Map<ServiceState, number>();
  for (const s of report.services) counts.set(s.state, (counts.get(s.state) ?? 0) + 1);
  const parts = SERVICE_STATES.map((st) => `${perfLabel(st)}=${counts.get(st) ?? 0};;;`);
  parts.push(`duration=${(report.durationMs / 1000).toFixed(3)}s;;;`);
  return parts.join(' ');
}

/** An error before any service was judged: `AUTOHEAL UNKNOWN - <first line>`, the rest below. */
export function renderNagiosError(message: string): string {
  const [first = '', ...rest] = message.split('\n');
  return `${[fit('AUTOHEAL UNKNOWN - ', first, ''), ...rest.map(clean)].join('\n')}\n`;
}
