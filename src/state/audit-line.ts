// Audit log lines and the rotation rule (pure).

/** One action of a pass, as the audit log records it. Times are ISO 8601. */
export interface AuditEvent {
  at: string;
  service: string;
  event: 'restart_started' | 'restart_finished' | 'restart_failed' | 'restart_timed_out' | 'gave_up';
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
