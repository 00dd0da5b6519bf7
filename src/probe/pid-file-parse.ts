// Judging pid file contents and pid file read errors (pure).
import type { ProbeStatus } from './types.js';

// PID_MAX_LIMIT on 64-bit Linux (2^22): no larger pid can exist.
const PID_MAX = 4_194_304;

/** The pid a pid file names, or why it names none. */
export type ParsedPid = { ok: true; pid: number } | { ok: false; reason: string };

/**
 * Reads the pid from pid file text: the first line, surrounding whitespace allowed, decimal digits only,
 * 1..PID_MAX. Later lines are ignored (some daemons write extra lines after the pid).
 */
export function parsePid(text: string, path: string): ParsedPid {
  if (text.trim() === '') return { ok: false, reason: `pid file ${path} is empty` };
  const first = (text.split('\n')[0] ?? '').trim();
  const pid = /^[0-9]{1,10}$/.test(first) ? Number(first) : NaN;
  if (pid >= 1 && pid <= PID_MAX) return { ok: true, pid };
  return { ok: false, reason: `pid file ${path} holds ${showText(first)}, not a pid` };
}

/**
 * Status and reason for an error opening or reading a pid file. A file that certainly is not there is down;
 * anything else (permission denied, I/O error, too many open files) means we could not tell: unknown.
 */
export function classifyPidFileError(code: string | undefined, path: string): { status: ProbeStatus; reason: string } {
  switch (code) {
    case 'ENOENT':
      return { status: 'down', reason: `pid file ${path} does not exist` };
    case 'ENOTDIR':
      return { status: 'down', reason: `pid file ${path} cannot exist: a parent of it is not a directory` };
    case 'EISDIR':
      return { status: 'down', reason: `pid file ${path} is a directory` };
    case 'ENOTREG':
      return { status: 'unknown', reason: `pid file ${path} is not a regular file (a FIFO, socket or device)` };
    default:
      return { status: 'unknown', reason: `cannot read pid file ${path}: ${code ?? 'unknown error'}` };
  }
}

// At most 40 characters, control characters escaped, in backticks: garbage must not garble the report.
function showText(text: string): string {
  const cut = text.length > 40 ? `${text.slice(0, 40)}…` : text;
  return `\`${cut.replace(/[\u0000-\u001f\u007f`]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`)}\``;
}
