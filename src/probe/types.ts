// What every probe returns: data with its reason, never a bare boolean.

/** 'unknown' means the probe could not tell (permission denied, unreadable): never restart on it. */
export type ProbeStatus = 'up' | 'down' | 'unknown';

export interface ProbeResult {
  status: ProbeStatus;
  /** Human-readable why, e.g. "connection refused", "pid 123 is a zombie". */
  reason: string;
  ms: number;
  /** Liveness probes: the pid found, when one was. */
  pid?: number;
  /** Liveness probes: that process's start (clock ticks since boot), which tells it from a later one with its pid. */
  startTicks?: number;
}

/** One process as read from /proc. */
export interface ProcessInfo {
  pid: number;
  /** /proc/PID/stat comm: the kernel's name, cut at 15 characters. */
  comm: string;
  /** Basename of argv[0], '' for kernel threads; undefined when it was not read (not needed to judge the process). */
  argv0?: string;
  /** /proc/PID/stat state letter: R, S, D, Z, T, ... */
  state: string;
  /** Start time in clock ticks since boot (/proc/PID/stat field 22). */
  startTicks: number;
}
