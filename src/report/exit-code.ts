// The Nagios status of a pass (pure): the worst service decides.
import type { ExitCode } from '../errors.js';
import type { PassReport, ServiceState } from './model.js';

export const statusNames = ['OK', 'WARNING', 'CRITICAL', 'UNKNOWN'] as const;
export type StatusName = (typeof statusNames)[number];

/** What each final state means for monitoring. */
export const stateCode: Record<ServiceState, ExitCode> = {
  healthy: 0,
  restarted: 1,
  starting: 1,
  // Down, but the host is still inside its boot grace: nothing is started yet, as configured.
  booting: 1,
  gave_up: 2,
  // Down and not healed: a dry run heals nothing.
  would_restart: 2,
  restart_failed: 2,
  blocked: 2,
  unknown: 3,
  // An operator's maintenance: nothing for monitoring to page about.
  paused: 0,
  // Counting failures towards a restart: healing in progress.
  checking: 1,
  // Running but broken and its stop failed: not healed.
  unhealthy: 2,
};

// CRITICAL outranks UNKNOWN: a service known to be down matters more than one that could not be judged.
const severity: Record<ExitCode, number> = { 0: 0, 1: 1, 3: 2, 2: 3 };

/** The worst code among the states; 0 for none. */
export function exitCodeOf(states: Iterable<ServiceState>): ExitCode {
  let worst: ExitCode = 0;
  for (const state of states) {
    const code = stateCode[state];
    if (severity[code] > severity[worst]) worst = code;
  }
  return worst;
}

/**
 * The exit code of a whole pass: the worst service, made at least UNKNOWN when a stop signal cut the pass short
 * and at least CRITICAL when its history could not be saved (then its limits are not remembered).
 */
export function passExitCode(report: Pick<PassReport, 'services' | 'interrupted' | 'unsaved'>): ExitCode {
  let code = exitCodeOf(report.services.map((s) => s.state));
  if (report.interrupted) code = worse(code, 3);
  if (report.unsaved) code = worse(code, 2);
  return code;
}

function worse(a: ExitCode, b: ExitCode): ExitCode {
  return severity[b] > severity[a] ? b : a;
}
