// Parsing of /proc/PID/stat and /proc/PID/cmdline contents (pure).
import { basename } from 'node:path';

/** The fields of /proc/PID/stat that liveness needs. */
export interface StatFields {
  comm: string;
  state: string;
  startTicks: number;
}

/**
 * Parses one /proc/PID/stat line, or undefined when it is not one.
 * comm sits between the first '(' and the LAST ')': a process may name itself `a) b (c`.
 */
export function parseStat(text: string): StatFields | undefined {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) return undefined;
  // After ") " come fields 3, 4, ...: field N is rest[N - 3], so starttime (field 22) is rest[19].
  const rest = text.slice(close + 2).split(' ');
  const state = rest[0] ?? '';
  const startTicks = Number(rest[19]);
  if (!/^[A-Za-z]$/.test(state) || !Number.isSafeInteger(startTicks) || startTicks < 0) return undefined;
  return { comm: text.slice(open + 1, close), state, startTicks };
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
