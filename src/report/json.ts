// The machine report (pure): one JSON document with every service, its probes and actions, and the exit code.
import { exitCodeOf, statusNames } from './exit-code.js';
import type { PassReport } from './model.js';

/** One JSON document, newline-terminated. */
export function renderJson(report: PassReport, version: string): string {
  const exitCode = exitCodeOf(report.services.map((s) => s.state));
  const doc = {
    version,
    status: statusNames[exitCode],
    exitCode,
    dryRun: report.dryRun,
    durationMs: Math.round(report.durationMs),
    services: report.services,
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}
