// Everything a finished pass publishes beyond its report: the metrics textfile, notifications, the system log.
// Each failure is a warning on the report, never a reason to stop healing (I/O).
import type { CliOptions } from '../cli/args.js';
import type { Config } from '../config/types.js';
import type { State } from '../plan/history.js';
import type { Change } from '../report/changes.js';
import { passExitCode } from '../report/exit-code.js';
import type { PassReport } from '../report/model.js';
import { buildEvents, NOTIFY_EVENTS } from '../report/events.js';
import { renderSyslogLines } from '../report/syslog.js';
import { publishMetrics } from './metrics.js';

export interface Published {
  report: PassReport;
  changes: readonly Change[];
  /** The history after the pass: the restart counters come from it. */
  state: State;
  config: Config;
  options: CliOptions;
  env: NodeJS.ProcessEnv;
  /** Another pass has saved a newer history since this one read it: the metrics are left to it. */
  superseded?: boolean;
}

/** Publishes the pass; warnings go on `report.warnings`. */
export async function publishPass(p: Published): Promise<void> {
  const warnings = p.report.warnings ?? [];
  const metricsFile = p.options.metricsFile ?? p.config.defaults.metricsFile;
  if (metricsFile && !p.superseded) {
    const totals = new Map(
      Object.entries(p.state.services).map(([name, h]) => [name, { restarts: h.restartsTotal ?? 0, failures: h.failuresTotal ?? 0 }]),
    );
    const input = { exitCode: passExitCode(p.report), at: Date.now(), durationMs: p.report.durationMs, services: p.report.services, totals };
    const warning = publishMetrics(metricsFile, input);
    if (warning) warnings.push(warning);
  }
  const events = buildEvents(p.report, p.changes);
  const notifyOf = new Map(p.config.services.map((s) => [s.name, s.notify]));
  const notifications = events.flatMap((event) => {
    const command = notifyOf.get(event.service);
    return command !== undefined && NOTIFY_EVENTS.has(event.event) ? [{ command, event }] : [];
  });
  if ((p.options.syslog || p.config.defaults.syslog) && events.length > 0) {
    const { sendToSyslog } = await import('./syslog.js');
    const warning = await sendToSyslog(renderSyslogLines(events), p.config.defaults.syslogSocket);
    if (warning) warnings.push(warning);
  }
  if (notifications.length > 0) {
    // Loaded only when there is something to tell.
    const { runNotifications } = await import('./notify.js');
    const { hostname } = await import('node:os');
    warnings.push(...(await runNotifications(notifications, hostname(), p.config.defaults.notifyTimeoutMs, p.env)));
  }
}
