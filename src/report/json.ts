// The machine report (pure): one JSON document with every service, its probes and actions, and the exit code.
import { passExitCode, statusNames } from './exit-code.js';
import type { PassReport } from './model.js';
import { toJsonText } from '../text/json.js';

/** One JSON document, newline-terminated. */
export function renderJson(report: PassReport, version: string): string {
  const exitCode = passExitCode(report);
  const doc = {
    version,
    status: statusNames[exitCode],
    exitCode,
    dryRun: report.dryRun,
    durationMs: Math.round(report.durationMs),
    ...(report.interrupted ? { interrupted: report.interrupted } : {}),
    ...(report.unsaved ? { unsaved: report.unsaved } : {}),
    warnings: report.warnings ?? [],
    services: report.services,
    ...(report.timeline ? { timeline: report.timeline } : {}),
  };
  return toJsonText(doc);
}
