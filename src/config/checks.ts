// Value checks for the key tables: each accepts a YAML scalar's value or says what it expected (pure).
import { DURATION_EXPECTED, parseDuration } from './duration.js';
import { parseSize, SIZE_EXPECTED } from './size.js';

/** A check of one scalar value; `expected` completes "expected ..., found ..." when `accept` refuses. */
export interface Check<T> {
  expected: string;
  /** The JSON Schema of what is accepted, for the schema test and the docs. */
  type: 'string' | 'integer' | 'number' | 'boolean' | 'duration' | 'duration_or_zero' | 'size' | 'umask';
  accept(value: unknown): T | undefined;
}

/** Any non-empty string. */
export const nonEmptyString: Check<string> = {
  expected: 'a non-empty string',
  type: 'string',
  accept: (v) => (typeof v === 'string' && v.trim() !== '' ? v : undefined),
};

/** An absolute path; why: cron runs with an arbitrary working directory, so a relative path means nothing. */
export const absolutePath: Check<string> = {
  expected: 'an absolute path',
  type: 'string',
  accept: (v) => (typeof v === 'string' && v.startsWith('/') && !v.includes('\0') ? v : undefined),
};

/** An absolute path of a Prometheus textfile: node_exporter's textfile collector reads only `*.prom` files. */
export const promFile: Check<string> = {
  expected: 'an absolute path ending in .prom',
  type: 'string',
  accept: (v) => (typeof v === 'string' && v.startsWith('/') && v.endsWith('.prom') && !v.includes('\0') && !v.endsWith('/.prom') ? v : undefined),
};

/** true or false, as YAML writes them (not "yes"/"no": YAML 1.2 reads those as strings). */
export const boolean: Check<boolean> = {
  expected: 'true or false',
  type: 'boolean',
  accept: (v) => (typeof v === 'boolean' ? v : undefined),
};

/** An integer port, 1..65535. */
export const port: Check<number> = {
  expected: 'an integer from 1 to 65535',
  type: 'integer',
  accept: (v) => (typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 65535 ? v : undefined),
};

/** An integer >= 1. */
export const positiveInteger: Check<number> = {
  expected: 'an integer >= 1',
  type: 'integer',
  accept: (v) => (typeof v === 'number' && Number.isSafeInteger(v) && v >= 1 ? v : undefined),
};

/** A host name, IPv4 or IPv6 address (brackets around IPv6 are dropped, as probes connect without them). */
export const host: Check<string> = {
  expected: 'a host name or IP address',
  type: 'string',
  accept(v) {
    if (typeof v !== 'string') return undefined;
    const bare = /^\[[^\]]*\]$/.test(v) ? v.slice(1, -1) : v;
    if (/^[0-9A-Fa-f:.]+(%[\w.-]+)?$/.test(bare) && bare.includes(':')) return bare;
    if (bare.length > 253 || !/^[A-Za-z0-9_]([A-Za-z0-9_-]{0,62})(\.[A-Za-z0-9_]([A-Za-z0-9_-]{0,62}))*\.?$/.test(bare)) return undefined;
    return bare;
  },
};

/** An http: or https: URL that `new URL` accepts; kept as written. */
export const httpUrl: Check<string> = {
  expected: 'an http:// or https:// URL',
  type: 'string',
  accept(v) {
    if (typeof v !== 'string' || !URL.canParse(v)) return undefined;
    const { protocol, hostname } = new URL(v);
    return (protocol === 'http:' || protocol === 'https:') && hostname !== '' ? v : undefined;
  },
};

/** A duration in milliseconds, or 0 (`0`, `0s`): a wait that is off. */
export const durationOrZero: Check<number> = {
  expected: `0 (off) or ${DURATION_EXPECTED}`,
  type: 'duration_or_zero',
  accept: (v) => (v === 0 || (typeof v === 'string' && /^0+(\.0+)?(ms|s|m|h)$/.test(v)) ? 0 : parseDuration(v)),
};

/** A duration in milliseconds (see duration.ts). */
export const duration: Check<number> = {
  expected: DURATION_EXPECTED,
  type: 'duration',
  accept: parseDuration,
};

/** A user or group name as useradd and groupadd accept them (resolved against the accounts by validate). */
export const accountName: Check<string> = {
  expected: 'a user or group name (letters, digits, _ . -; not starting with a digit or -)',
  type: 'string',
  accept: (v) => (typeof v === 'string' && v.length <= 32 && /^[A-Za-z_][A-Za-z0-9_.-]*\$?$/.test(v) ? v : undefined),
};

/**
 * A umask, octal as operators write it: `027` (YAML reads the digits as a number; they are taken as octal),
 * or a string "0027", "027", "0o027". Why digits: `umask: 022` must mean what it means in a shell.
 */
export const umask: Check<number> = {
  expected: 'an octal umask such as 022, 027 or "0077"',
  type: 'umask',
  accept(v) {
    const text = typeof v === 'number' && Number.isInteger(v) && v >= 0 ? String(v) : typeof v === 'string' ? v.replace(/^0o/, '') : undefined;
    if (text === undefined || !/^[0-7]{1,4}$/.test(text)) return undefined;
    const mask = parseInt(text, 8);
    return mask <= 0o777 ? mask : undefined;
  },
};

/** A size in bytes (see size.ts). */
export const size: Check<number> = {
  expected: SIZE_EXPECTED,
  type: 'size',
  accept: parseSize,
};

/** Percent of one CPU core, > 0 (a process with several threads may use more than 100). */
export const cpuPercent: Check<number> = {
  expected: 'a percentage of one CPU core, a number > 0 (200 is two cores)',
  type: 'number',
  accept: (v) => (typeof v === 'number' && Number.isFinite(v) && v > 0 && v <= 100_000 ? v : undefined),
};
// execve(2) takes one argument of at most MAX_ARG_STRLEN (32 pages: 128 KiB) bytes, its NUL included.
const MAX_SCRIPT_BYTES = 128 * 1024 - 1;

/** Why execve could never carry this script as `sh -c`'s argument (a NUL byte, too long), or undefined. */
export function whyScriptCannotRun(text: string): string | undefined {
  if (text.includes('\0')) return 'the script holds a NUL byte, which no command line can carry; it could never run';
  const bytes = Buffer.byteLength(text);
  if (bytes > MAX_SCRIPT_BYTES)
    return `expected a script of at most ${MAX_SCRIPT_BYTES} bytes (what execve takes as one argument), found ${bytes} bytes; it could never run: put it in a file and run that`;
  return undefined;
}
