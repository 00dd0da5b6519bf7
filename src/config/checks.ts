// Value checks for the key tables: each accepts a YAML scalar's value or says what it expected (pure).
import { DURATION_EXPECTED, parseDuration } from './duration.js';

/** A check of one scalar value; `expected` completes "expected ..., found ..." when `accept` refuses. */
export interface Check<T> {
  expected: string;
  /** The JSON Schema of what is accepted, for the schema test and the docs. */
  type: 'string' | 'integer' | 'boolean' | 'duration';
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

/** A duration in milliseconds (see duration.ts). */
export const duration: Check<number> = {
  expected: DURATION_EXPECTED,
  type: 'duration',
  accept: parseDuration,
};
