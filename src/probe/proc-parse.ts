// Parsing of /proc/PID/stat and /proc/PID/cmdline contents (pure).
import { basename } from 'node:path';

/** The fields of /proc/PID/stat that liveness needs. */
export interface StatFields {
  comm: string;
  state: string;
  startTicks: number;
}

/**
 * Parses one /proc/PID/stat line (text, or the bytes read), or undefined when it is not one.
 * comm sits between the first '(' and the LAST ')': a process may name itself `a) b (c`. Bytes are read in place:
 * a scan parses a thousand of these, and only comm becomes a string.
 */
export function parseStat(input: string | Uint8Array): StatFields | undefined {
  const b = typeof input === 'string' ? Buffer.from(input, 'utf8') : Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  const open = b.indexOf(0x28);
  const close = b.lastIndexOf(0x29);
  if (open < 0 || close < open) return undefined;
  // After ") " come fields 3, 4, ..., each ended by a space: state is field 3, starttime field 22.
  let start = close + 2;
  let state = '';
  let startTicks = Number.NaN;
  for (let field = 3; field <= 22; field++) {
    const space = b.indexOf(0x20, start);
    const end = space < 0 ? b.length : space;
    if (field === 3) state = start < end ? b.toString('latin1', start, end) : '';
    if (field === 22) startTicks = Number(b.toString('latin1', start, end));
    if (space < 0) break;
    start = space + 1;
  }
  if (!/^[A-Za-z]$/.test(state) || !Number.isSafeInteger(startTicks) || startTicks < 0) return undefined;
  return { comm: b.toString('utf8', open + 1, close), state, startTicks };
}

/** Basename of argv[0] from raw /proc/PID/cmdline bytes; '' for kernel threads and zombies. */
export function parseArgv0(cmdline: Uint8Array): string {
  const nul = cmdline.indexOf(0);
  const argv0 = Buffer.from(cmdline.buffer, cmdline.byteOffset, nul < 0 ? cmdline.length : nul).toString('utf8');
  return argv0 === '' ? '' : basename(argv0);
}

/** States in which a pid exists but the process is gone: zombie and dead. */
export function isDeadState(state: string): boolean {
  return state === 'Z' || state === 'X' || state === 'x';
}
