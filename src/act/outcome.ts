// Pure rules around a restart: which requests are runnable, what counts as success, how to say it.
import type { RestartRequest, RestartResult } from './types.js';

/** setTimeout silently turns larger delays (and NaN) into 1 ms, which would kill every script at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** What the script did, as observed by the runner. */
export interface ScriptOutcome {
  exitCode?: number;
  signal?: string;
  timedOut: boolean;
  /** Set when the script could not be started at all. */
  startError?: string;
  /** Still running when the runner stopped waiting (detach). */
  detached?: boolean;
  pid?: number;
}

/** Why a request cannot be run, in execa's style ("Expected ..., got ..."), or undefined when it can. */
export function validateRestartRequest(request: RestartRequest): string | undefined {
  const checks: Array<[keyof RestartRequest, number | undefined]> = [
    ['timeoutMs', request.timeoutMs],
    ['detachGraceMs', request.detachGraceMs],
    ['killGraceMs', request.killGraceMs],
  ];
  for (const [name, value] of checks) {
    if (value === undefined && name !== 'timeoutMs') continue;
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value > MAX_TIMER_MS) {
      return `Expected \`${name}\` to be a positive number of milliseconds up to ${MAX_TIMER_MS}, got \`${String(value)}\` (${typeof value})`;
    }
  }
  if (request.script.trim() === '') return 'Expected `script` to be a non-empty shell command, got an empty string';
  return undefined;
}

/**
 * Whether a restart counts against the limits: its script ran, or it stopped (or tried to stop) the running
 * service. A script that could not even be started, after a stop that did nothing, is no attempt.
 */
export function isAttempt(result: RestartResult): boolean {
  return result.ok || result.pid !== undefined || result.stop?.attempted === true;
}

/** The result of a run: ok only when the script exited 0 in time, or (detach) was still running. */
export function classifyRestart(outcome: ScriptOutcome, logPath: string, durationMs: number): RestartResult {
  const ok = outcome.startError === undefined && !outcome.timedOut && (outcome.detached === true || outcome.exitCode === 0);
  const result: RestartResult = { ok, timedOut: outcome.timedOut, durationMs: Math.round(durationMs), logPath };
  if (outcome.exitCode !== undefined) result.exitCode = outcome.exitCode;
  if (outcome.signal !== undefined) result.signal = outcome.signal;
  if (outcome.pid !== undefined) result.pid = outcome.pid;
  if (outcome.detached) result.detached = true;
  if (outcome.startError !== undefined) result.error = outcome.startError;
  return result;
}
