// The human report (pure): one line per service that is not healthy or was acted on, then a summary.
import type { RestartResult, StopRequest, StopResult } from '../act/types.js';
import { printable } from '../text/printable.js';
import { passExitCode, statusNames } from './exit-code.js';
import type { Change } from './changes.js';
import type { PassReport, ServiceReport, ServiceState } from './model.js';

export interface TextOptions {
  verbose: boolean;
  /** When false and every service is healthy, nothing is printed: cron mails any output. */
  interactive: boolean;
  /**
   * What changed since the last pass. Given, and neither verbose nor interactive (cron), only these services are
   * printed: news, and ongoing problems when their reminder is due.
   */
  changes?: readonly Change[];
}

export const labels: Record<ServiceState, string> = {
  healthy: 'healthy',
  restarted: 'restarted',
  restart_failed: 'FAILED',
  would_restart: 'would restart',
  blocked: 'blocked',
  unknown: 'unknown',
  starting: 'starting',
  booting: 'boot grace',
  gave_up: 'GAVE UP',
  checking: 'checking',
  unhealthy: 'UNHEALTHY',
  paused: 'paused',
};

// Worst first, so the summary leads with what needs a human.
const summaryOrder: ServiceState[] = [
  'restart_failed',
  'unhealthy',
  'gave_up',
  'blocked',
  'would_restart',
  'unknown',
  'checking',
  'booting',
  'starting',
  'restarted',
  'paused',
  'healthy',
];

/** Formats a duration for people: `850 ms`, `1.2 s`. */
export function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** The whole text report, '' when there is nothing worth printing. */
export function renderText(report: PassReport, options: TextOptions): string {
  const onlyNews = options.changes !== undefined && !options.verbose && !options.interactive;
  const news = new Map((options.changes ?? []).map((c) => [c.service, c]));
  const shown = report.services.filter((s) => (onlyNews ? news.has(s.name) : options.verbose || s.state !== 'healthy'));
  const warnings = report.warnings ?? [];
  const quiet = shown.length === 0 && warnings.length === 0 && !report.interrupted;
  if (quiet && !options.interactive && !options.verbose) return '';
  const width = Math.min(24, Math.max(0, ...shown.map((s) => printable(s.name).length)));
  const lines: string[] = [];
  for (const s of shown) {
    const change = onlyNews ? news.get(s.name) : undefined;
    const label = change?.event === 'recovered' ? 'recovered' : labels[s.state];
    lines.push(`${printable(s.name).padEnd(width)}  ${label.padEnd(13)}  ${printable(changeDetail(s, change, report.startedAt))}`);
    if (options.verbose) lines.push(...probeLines(s));
  }
  for (const w of warnings) lines.push(`warning: ${printable(w)}`);
  lines.push(summary(report));
  return `${lines.join('\n')}\n`;
}

/** The detail, with how long a recovered outage or a repeated problem has lasted. */
function changeDetail(s: ServiceReport, change: Change | undefined, now: number): string {
  if (change?.event === 'recovered')
    return `${s.reason}; healthy again${change.since === undefined ? '' : ` after ${formatSpan(now - change.since)} down`}`;
  const text = detail(s, now);
  if (!change?.reminder || change.since === undefined) return text;
  return `${text}; still ${labels[s.state]} since ${new Date(change.since).toISOString().slice(0, 19).replace('T', ' ')} UTC (${formatSpan(now - change.since)})`;
}

/** Why a service is in its state and what was done, one line (unescaped). */
export function detail(s: ServiceReport, now: number): string {
  switch (s.state) {
    case 'starting':
      return `${s.reason}; restarted moments ago, judged again after its start grace (${after(s.until, now)})`;
    case 'booting': {
      const left = `waiting for boot: ${Math.max(0, Math.ceil((Date.parse(s.until ?? '') - now) / 1000))} s left`;
      return s.blockedBy ? `${s.reason}; ${left}, then for ${s.blockedBy.name}: ${s.blockedBy.reason}` : `${s.reason}; ${left}`;
    }
    case 'gave_up':
      return `${s.reason}; restart limit reached, not restarted; next try ${after(s.until, now)}`;
    case 'healthy':
      return s.reason;
    case 'paused':
      return `${s.reason}; ${describePauseText(s.pause, now)}`;
    case 'blocked':
      return `${s.reason}; waiting for ${s.blockedBy?.name} (${s.blockedBy?.target}): ${s.blockedBy?.reason}`;
    case 'would_restart':
      return s.stop ? `${s.reason}; would ${describePlannedStop(s.stop)}, then run its script` : `${s.reason}; its dependencies are ready`;
    case 'checking':
      return `${s.reason}; restarted at ${s.health?.of ?? '?'} failures in a row`;
    case 'unhealthy':
      return `${s.reason}; ${s.restart?.stop?.error ?? 'stop failed'}`;
    case 'unknown':
      return `${s.reason}; not restarted while its state is unknown`;
    case 'restarted':
    case 'restart_failed': {
      if (!s.restart) return `${s.reason}; not run`;
      const stopped = s.restart.stop ? `${describeStop(s.restart.stop)}; ` : '';
      const round = s.round ? `; round ${s.round.round} at +${formatMs(s.round.atMs)}` : '';
      return `${s.reason}; ${stopped}${describeRestart(s.restart)}${round}`;
    }
  }
}

/** `paused by alice until 2026-11-26 19:00:00 UTC (in 1h): db upgrade`; not started or stopped. */
function describePauseText(p: ServiceReport['pause'], now: number): string {
  if (!p) return 'paused';
  const until = p.until ? `until ${after(p.until, now).replace(/^in (.*) \(at (.*)\)$/, '$2 (in $1)')}` : 'until resumed';
  return `paused by ${p.by} ${until}${p.reason ? `: ${p.reason}` : ''}; not started or stopped`;
}

/** `stop pid 4242 with SIGTERM (SIGKILL after 10.0 s)`, or `run its stop_script (up to 10.0 s)`. */
export function describePlannedStop(stop: StopRequest): string {
  if (stop.script !== undefined) return `run its stop_script (up to ${formatMs(stop.timeoutMs)})`;
  return `stop pid ${stop.pid ?? '?'} with SIGTERM (SIGKILL after ${formatMs(stop.timeoutMs)})`;
}

/** How a stop went: `stopped by SIGTERM in 120 ms`, `stop_script exited 0, then SIGKILL after 10.0 s`. */
export function describeStop(stop: StopResult): string {
  const how =
    stop.method === 'stop_script'
      ? `stop_script exited ${stop.exitCode ?? '?'}${stop.signal ? `, then ${stop.signal}` : ''}`
      : stop.signal
        ? `${stop.signal}`
        : 'already gone';
  return `stopped (${how}) in ${formatMs(stop.durationMs)}`;
}

/** `in 4m 10s (at 2026-11-26 18:45:00 UTC)`. */
function after(iso: string | undefined, now: number): string {
  if (!iso) return 'later';
  const at = Date.parse(iso);
  return `in ${formatSpan(at - now)} (at ${iso.slice(0, 19).replace('T', ' ')} UTC)`;
}

/** A span for people: `45s`, `4m 10s`, `2h 5m`. */
export function formatSpan(ms: number): string {
  const s = Math.max(0, Math.ceil(ms / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${s % 60 ? ` ${s % 60}s` : ''}`;
  return `${Math.floor(s / 3600)}h${Math.floor((s % 3600) / 60) ? ` ${Math.floor((s % 3600) / 60)}m` : ''}`;
}

/** What a restart did, with where its output went. */
export function describeRestart(r: RestartResult): string {
  const log = r.logError ? `output discarded (${r.logError})` : `log ${r.logPath}`;
  if (r.error) return `could not run the script: ${r.error}; ${log}`;
  if (r.timedOut) return `script still running after ${formatMs(r.durationMs)}: killed its process group; ${log}`;
  if (r.detached) return `script started detached (pid ${r.pid}); ${log}`;
  if (r.signal) return `script killed by ${r.signal} after ${formatMs(r.durationMs)}; ${log}`;
  return `script exited ${r.exitCode} in ${formatMs(r.durationMs)}; ${log}`;
}

function probeLines(s: ServiceReport): string[] {
  const used = s.usage
    ? `; rss ${(s.usage.rssBytes / 1048576).toFixed(1)} MiB, cpu ${formatMs(s.usage.cpuTimeMs)}, up ${formatSpan(s.usage.uptimeMs)}`
    : '';
  const lines = [`    liveness: ${s.liveness.status}, ${printable(s.liveness.reason)} (${formatMs(s.liveness.ms)})${used}`];
  const h = s.health;
  if (h?.check)
    lines.push(`    check: ${h.check.status}, ${printable(h.check.reason)} (${formatMs(h.check.ms)}); failed ${h.failures} of ${h.of} in a row`);
  if (h && (h.rssBytes !== undefined || h.cpuPercent !== undefined)) {
    const rss = h.rssBytes === undefined ? '' : `rss ${(h.rssBytes / 1048576).toFixed(1)} MiB`;
    const cpu = h.cpuPercent === undefined ? '' : `cpu ${Math.round(h.cpuPercent)}% since the last pass`;
    lines.push(`    limits: ${[rss, cpu].filter(Boolean).join(', ')}`);
  }
  if (h?.dependencyDown !== undefined)
    lines.push(`    ${printable(h.dependencyDown)} was seen not ready while it ran: restarted once it is ready again`);
  for (const d of s.deps) {
    const seen = d.result ? `${d.result.status}, ${d.result.reason} (${formatMs(d.result.ms)})` : 'not probed';
    lines.push(`    dep ${printable(d.name)} (${printable(d.target)}): ${printable(seen)}`);
  }
  return lines;
}

/** `CRITICAL: 1 blocked, 4 healthy; 5 services in 210 ms`. */
export function summary(report: PassReport): string {
  const counts = new Map<ServiceState, number>();
  for (const s of report.services) counts.set(s.state, (counts.get(s.state) ?? 0) + 1);
  const parts = summaryOrder.filter((st) => counts.has(st)).map((st) => `${counts.get(st)} ${labels[st].toLowerCase()}`);
  const status = statusNames[passExitCode(report)];
  const n = report.services.length;
  const tail = report.dryRun
    ? ' (dry run: nothing was run)'
    : report.interrupted
      ? ` (interrupted by ${report.interrupted}: no new probe or restart was started)`
      : '';
  const rounds = report.timeline ? `, ${report.timeline.length} round${report.timeline.length === 1 ? '' : 's'}` : '';
  return `${status}: ${parts.join(', ') || 'no services'}; ${n} service${n === 1 ? '' : 's'} in ${formatMs(report.durationMs)}${rounds}${tail}`;
}
