// The per-service restart log: its file name and header line (pure), and opening it for a run (I/O).
import { createHash } from 'node:crypto';
import { describeErrno } from '../text/errno.js';
import { printable } from '../text/printable.js';
import { closeSync, constants, fstatSync, mkdirSync, openSync, renameSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Bytes kept as they are in a log file name; everything else is percent-encoded. */
const KEPT = /^[A-Za-z0-9._-]$/;
/** Longest encoded name kept whole; file names are limited to 255 bytes on Linux. */
const MAX_ENCODED = 200;
const TRUNCATED_TO = 180;

/**
 * The log file name of a service: `<encoded>.log`, unable to leave the log directory.
 * Injective: `%` is itself encoded, so `%XX` can only come from one byte; a leading `.` is encoded, so the
 * name is never hidden, `.` or `..`; names too long for the file system are cut and tagged with `~` plus a hash
 * of the whole name (`~` never appears otherwise).
 */
export function buildLogFileName(service: string): string {
  let encoded = '';
  for (const byte of encodeWtf8(service)) {
    const ch = String.fromCharCode(byte);
    encoded += KEPT.test(ch) && !(ch === '.' && encoded === '') ? ch : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  if (encoded.length > MAX_ENCODED) {
    const hash = createHash('sha256').update(encoded).digest('hex').slice(0, 16);
    encoded = `${cutBeforePartialEscape(encoded.slice(0, TRUNCATED_TO))}~${hash}`;
  }
  return `${encoded}.log`;
}

/** One header line appended to the log before each run: time, service, reason, escaped so neither can forge a line. */
export function formatLogHeader(now: Date, service: string, reason: string): string {
  return `${now.toISOString()} autoheal-once: restarting ${printable(service)}: ${printable(reason)}\n`;
}

// UTF-8, extended to lone surrogates (WTF-8) so that distinct JS strings always give distinct bytes;
// Buffer.from(s, 'utf8') would map every lone surrogate to U+FFFD.
function encodeWtf8(text: string): number[] {
  const bytes: number[] = [];
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0;
    if (cp < 0x80) bytes.push(cp);
    else if (cp < 0x800) bytes.push(0xc0 | (cp >> 6), 0x80 | (cp & 0x3f));
    else if (cp < 0x10000) bytes.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
    else bytes.push(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 0x3f), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
  }
  return bytes;
}

// A cut must not leave half of a `%XX` escape at the end.
function cutBeforePartialEscape(prefix: string): string {
  const at = prefix.lastIndexOf('%');
  return at >= 0 && at > prefix.length - 3 ? prefix.slice(0, at) : prefix;
}

export type OpenedLog = { ok: true; fd: number; path: string } | { ok: false; path: string; error: string };

// O_NOFOLLOW: a symlink planted in the log dir must not redirect root's writes.
// O_NONBLOCK: a FIFO planted there must fail (ENXIO) instead of hanging the pass; it changes nothing for files.
const FLAGS = constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NOFOLLOW | constants.O_NONBLOCK;

/** Cap of a restart log when the config sets none. */
export const DEFAULT_LOG_MAX_BYTES = 10 * 1024 * 1024;

/**
 * Creates the log dir (0700) and file (0600) when missing, appends `header`; never throws. A log already at its
 * cap is first renamed to `<log>.1` (replacing the older one), so a noisy script keeps at most twice the cap
 * plus one run's output on disk.
 */
export function openRestartLog(logDir: string, service: string, header: string, maxBytes = DEFAULT_LOG_MAX_BYTES): OpenedLog {
  const dir = resolve(logDir);
  const path = join(dir, buildLogFileName(service));
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (err) {
    return { ok: false, path, error: `cannot create log directory ${dir}: ${describeErrno(err)}` };
  }
  let fd: number;
  try {
    fd = openLog(path);
    if (fstatSync(fd).size >= maxBytes) {
      closeSync(fd);
      // Only passes (holding the lock) write here, so nobody rotates at the same time.
      renameSync(path, `${path}.1`);
      fd = openLog(path);
    }
  } catch (err) {
    return { ok: false, path, error: `cannot open log file ${path}: ${describeErrno(err)}` };
  }
  try {
    writeSync(fd, header);
    return { ok: true, fd, path };
  } catch (err) {
    closeSync(fd);
    return { ok: false, path, error: `cannot write log file ${path}: ${describeErrno(err)}` };
  }
}

function openLog(path: string): number {
  const fd = openSync(path, FLAGS, 0o600);
  try {
    if (!fstatSync(fd).isFile()) throw Object.assign(new Error('not a regular file'), { code: 'ENOTREG' });
    return fd;
  } catch (err) {
    closeSync(fd);
    throw err;
  }
}
