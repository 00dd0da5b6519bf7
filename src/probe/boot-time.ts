// When the machine booted, to date processes: /proc/PID/stat gives start times in ticks since boot.
import { readFileSync } from 'node:fs';

/** USER_HZ: the unit of /proc start times; fixed at 100 by the kernel's ABI on every architecture Linux runs. */
export const TICKS_PER_SECOND = 100;

/** Boot time in epoch ms from /proc/stat's `btime`; undefined when it cannot be read. */
export function readBootTimeMs(procRoot = '/proc'): number | undefined {
  try {
    const match = /^btime (\d+)$/m.exec(readFileSync(`${procRoot}/stat`, 'utf8'));
    return match ? Number(match[1]) * 1000 : undefined;
  } catch {
    return undefined;
  }
}

/** How long the host has been up, in ms, from /proc/uptime; undefined when it cannot be read. */
export function readUptimeMs(procRoot = '/proc'): number | undefined {
  try {
    const seconds = Number.parseFloat(readFileSync(`${procRoot}/uptime`, 'utf8'));
    return Number.isFinite(seconds) && seconds >= 0 ? Math.round(seconds * 1000) : undefined;
  } catch {
    return undefined;
  }
}

/** A process's start time in epoch ms (pure). */
export function processStartMs(startTicks: number, bootTimeMs: number): number {
  return bootTimeMs + (startTicks * 1000) / TICKS_PER_SECOND;
}
