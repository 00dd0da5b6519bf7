// The audit log: what a pass writes (pure), one JSON line per event, appended, rotated at 1 MiB (I/O).
import type { RestartRequest, RestartResult } from '../act/types.js';
import type { Plan } from '../plan/types.js';
import { closeSync, constants, fstatSync, mkdirSync, openSync, renameSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { StateError } from '../errors.js';
import { messageOf } from '../text/errno.js';

/** One action of a pass, as the audit log records it. Times are ISO 8601. */
export interface AuditEvent {
  at: string;
  service: string;
  event:
    | 'restart_started'
    | 'restart_finished'
    | 'restart_failed'
    | 'restart_timed_out'
    | 'gave_up'
    | 'stop_started'
    | 'stop_finished'
    | 'stop_failed';
  /** Stops: the process signalled. */
  pid?: number;
  /** Stops: `stop_script` or `signal`. */
  method?: string;
  reason?: string;
  exitCode?: number;
  signal?: string;
  durationMs?: number;
  log?: string;
  until?: string;
}

/** Every line, newline included, is shorter than this (what a single O_APPEND write keeps whole). */
export const MAX_LINE_BYTES = 4096;

// Byte budgets of each string field once JSON-encoded; with the keys and numbers they add up to < 4000.
const BUDGET = { at: 64, service: 512, reason: 2048, signal: 64, log: 1024, until: 64 } as const;

/** The event as one JSON line; over-long strings are cut (ending in `…`) so the line stays under the limit. */
export function formatAuditLine(event: AuditEvent): string {
  const line: Record<string, string | number> = {
    at: clamp(event.at, BUDGET.at),
    service: clamp(event.service, BUDGET.service),
    event: event.event,
  };
  if (event.reason !== undefined) line.reason = clamp(event.reason, BUDGET.reason);
  if (event.method !== undefined) line.method = event.method;
  if (event.pid !== undefined) line.pid = event.pid;
  if (event.exitCode !== undefined) line.exitCode = event.exitCode;
  if (event.signal !== undefined) line.signal = clamp(event.signal, BUDGET.signal);
  if (event.durationMs !== undefined) line.durationMs = Math.round(event.durationMs);
  if (event.log !== undefined) line.log = clamp(event.log, BUDGET.log);
  if (event.until !== undefined) line.until = clamp(event.until, BUDGET.until);
  return `${JSON.stringify(line)}\n`;
}

/**
 * Rotate before appending when the batch would take a non-empty log past the cap: audit.log then never
 * exceeds the cap (unless one batch alone does), and with audit.log.1 at most twice the cap is kept.
 */
export function shouldRotate(currentBytes: number, incomingBytes: number, capBytes: number): boolean {
  return currentBytes > 0 && currentBytes + incomingBytes > capBytes;
}

// Cuts by code points (never half a surrogate pair) and measures the escaped form: a control character
// takes six bytes in JSON.
function clamp(text: string, maxBytes: number): string {
  if (jsonBytes(text) <= maxBytes) return text;
  const chars = Array.from(text);
  let lo = 0;
  let hi = chars.length;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (jsonBytes(`${chars.slice(0, mid).join('')}…`) <= maxBytes) lo = mid;
    else hi = mid - 1;
  }
  return `${chars.slice(0, lo).join('')}…`;
}

function jsonBytes(text: string): number {
  return Buffer.byteLength(JSON.stringify(text));
}

/** One `restart_started` per request (after its `stop_started` for a running service), written before any script runs. */
export function buildStartedEvents(requests: readonly RestartRequest[], now: number): AuditEvent[] {
  const at = new Date(now).toISOString();
  return requests.flatMap((r): AuditEvent[] => {
    const started: AuditEvent = { at, service: r.service, event: 'restart_started', reason: r.reason };
    if (!r.stop) return [started];
    const how = r.stop.script !== undefined ? { method: 'stop_script' } : { method: 'signal', signal: 'SIGTERM' };
    return [
      { at, service: r.service, event: 'stop_started', reason: r.reason, ...how, ...(r.stop.pid === undefined ? {} : { pid: r.stop.pid }) },
      started,
    ];
  });
}

/** How each restart ended, and every service whose restart limit this pass reached. */
export function buildOutcomeEvents(plan: Plan, results: ReadonlyMap<string, RestartResult>, now: number): AuditEvent[] {
  const at = new Date(now).toISOString();
  const events: AuditEvent[] = [];
  for (const entry of plan.entries) {
    const service = entry.service.name;
    const v = entry.verdict;
    if (v.state === 'gave_up' && v.newly) {
      events.push({ at, service, event: 'gave_up', reason: v.reason, until: new Date(v.until).toISOString() });
    }
    const r = results.get(service);
    if (!r) continue;
    if (r.stop) {
      const pid = entry.liveness.pid;
      events.push({
        at,
        service,
        event: r.stop.ok ? 'stop_finished' : 'stop_failed',
        method: r.stop.method,
        durationMs: r.stop.durationMs,
        ...(pid === undefined ? {} : { pid }),
        ...(r.stop.signal === undefined ? {} : { signal: r.stop.signal }),
        ...(r.stop.exitCode === undefined ? {} : { exitCode: r.stop.exitCode }),
        ...(r.stop.error === undefined ? {} : { reason: r.stop.error }),
      });
      if (!r.stop.ok) continue;
    }
    const event = r.ok ? 'restart_finished' : r.timedOut ? 'restart_timed_out' : 'restart_failed';
    events.push({
      at,
      service,
      event,
      durationMs: Math.round(r.durationMs),
      log: r.logPath,
      ...(r.exitCode === undefined ? {} : { exitCode: r.exitCode }),
      ...(r.signal === undefined ? {} : { signal: r.signal }),
      ...(r.error === undefined ? {} : { reason: r.error }),
    });
  }
  return events;
}

export const AUDIT_FILE = 'audit.log';
/** Default size cap of audit.log; with audit.log.1 at most twice this is kept. */
export const DEFAULT_AUDIT_CAP_BYTES = 1024 * 1024;

// O_APPEND: every write lands at the end, whoever else appends. O_NOFOLLOW: a planted symlink does not redirect
// root's writes. O_NONBLOCK: a planted FIFO fails instead of hanging the pass.
const FLAGS = constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NOFOLLOW | constants.O_NONBLOCK;

/** Appends the events with one write() (creating the directory 0700 and the file 0600); throws StateError. */
export async function appendAudit(stateDir: string, events: readonly AuditEvent[], capBytes = DEFAULT_AUDIT_CAP_BYTES): Promise<void> {
  if (events.length === 0) return;
  const dir = resolve(stateDir);
  const path = join(dir, AUDIT_FILE);
  const bytes = Buffer.from(events.map(formatAuditLine).join(''));
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    let log = openLog(path);
    if (shouldRotate(log.size, bytes.length, capBytes)) {
      closeSync(log.fd);
      // Passes hold the state directory's lock, so no other writer rotates at the same time.
      renameSync(path, `${path}.1`);
      log = openLog(path);
    }
    try {
      for (let off = 0; off < bytes.length; ) off += writeSync(log.fd, bytes, off);
    } finally {
      closeSync(log.fd);
    }
  } catch (err) {
    throw new StateError(`cannot append to audit log ${path}: ${messageOf(err)}`, { cause: err });
  }
}

function openLog(path: string): { fd: number; size: number } {
  const fd = openSync(path, FLAGS, 0o600);
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw new Error('not a regular file');
    return { fd, size: stat.size };
  } catch (err) {
    closeSync(fd);
    throw err;
  }
}
