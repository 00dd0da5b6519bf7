// The human report (pure): one line per service that is not healthy or was acted on, then a summary.
import type { RestartResult } from '../act/types.js';
import { printable } from '../text/printable.js';
import { exitCodeOf, statusNames } from './exit-code.js';
import type { PassReport, ServiceReport, ServiceState } from './model.js';

export interface TextOptions {
  verbose: boolean;
  /** When false and every service is healthy, nothing is printed: cron mails any output. */
  interactive: boolean;
}

const labels: Record<ServiceState, string> = {
  healthy: 'healthy',
  restarted: 'restarted',
  restart_failed: 'FAILED',
  would_restart: 'would restart',
  blocked: 'blocked',
  unknown: 'unknown',
};

// Worst first, so the summary leads with what needs a human.
const summaryOrder: ServiceState[] = ['restart_failed', 'blocked', 'would_restart', 'unknown', 'restarted', 'healthy'];

/** Formats a duration for people: `850 ms`, `1.2 s`. */
export function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** The whole text report, '' when there is nothing worth printing. */
export function renderText(report: PassReport, options: TextOptions): string {
  const shown = report.services.filter((s) => options.verbose || s.state !== 'healthy');
  if (shown.length === 0 && !options.interactive && !options.verbose) return '';
  const width = Math.min(24, Math.max(0, ...shown.map((s) => printable(s.name).length)));
  const lines: string[] = [];
  for (const s of shown) {
    lines.push(`${printable(s.name).padEnd(width)}  ${labels[s.state].padEnd(13)}  ${printable(detail(s))}`);
    if (options.verbose) lines.push(...probeLines(s));
  }
  lines.push(summary(report));
  return `${lines.join('\n')}\n`;
}

function detail(s: ServiceReport): string {
  switch (s.state) {
    case 'healthy':
      return s.reason;
    case 'blocked':
      return `${s.reason}; waiting for ${s.blockedBy?.name}: ${s.blockedBy?.reason}`;
    case 'would_restart':
      return `${s.reason}; its dependencies are ready`;
    case 'unknown':
      return `${s.reason}; not restarted while its state is unknown`;
    case 'restarted':
    case 'restart_failed':
      return s.restart ? `${s.reason}; ${describeRestart(s.restart)}` : `${s.reason}; not run`;
  }
}

/** What a restart did, with where its output went. */
export function describeRestart(r: RestartResult): string {
  const log = `log ${r.logPath}`;
  if (r.error) return `could not run the script: ${r.error}; ${log}`;
  if (r.timedOut) return `script still running after ${formatMs(r.durationMs)}: killed its process group; ${log}`;
  if (r.detached) return `script started detached (pid ${r.pid}); ${log}`;
  if (r.signal) return `script killed by ${r.signal} after ${formatMs(r.durationMs)}; ${log}`;
  return `script exited ${r.exitCode} in ${formatMs(r.durationMs)}; ${log}`;
}

function probeLines(s: ServiceReport): string[] {
  const lines = [`    liveness: ${s.liveness.status}, ${printable(s.liveness.reason)} (${formatMs(s.liveness.ms)})`];
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
  const status = statusNames[exitCodeOf(report.services.map((s) => s.state))];
  const n = report.services.length;
  const tail = report.dryRun ? ' (dry run: nothing was run)' : '';
  return `${status}: ${parts.join(', ') || 'no services'}; ${n} service${n === 1 ? '' : 's'} in ${formatMs(report.durationMs)}${tail}`;
}
