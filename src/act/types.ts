// What a restart is asked to do and what it reports: one shape for success and failure, like execa's result.
import type { RunAs } from '../util/run-as.js';

/** One restart of one service. */
export interface RestartRequest {
  service: string;
  /** Run with `/bin/sh -c`. */
  script: string;
  /** Why the pass restarts it, one line; goes to the log header and to $AUTOHEAL_REASON. */
  reason: string;
  /** Bound on the script's run; when it expires the script's whole process group is killed. */
  timeoutMs: number;
  /** Directory of the per-service logs; created 0700 when missing. */
  logDir: string;
  /** Cap of the service's log: past it the log is rotated once (to `.1`) before the run. Default 10 MiB. */
  logMaxBytes?: number;
  /** Environment the script inherits (the caller passes process.env). */
  baseEnv: Readonly<Record<string, string | undefined>>;
  /** Start the script and do not wait for it: for scripts that run the service in the foreground. */
  detach?: boolean;
  /** With `detach`: how long the script must survive to count as started. Default 1000 ms. */
  detachGraceMs?: number;
  /** After a timeout, time between SIGTERM and SIGKILL to the group. Default 2000 ms. */
  killGraceMs?: number;
  /** Working directory of the script, over `runAs.cwd`. Default `/`, so a daemon does not pin the cron's cwd. */
  cwd?: string;
  /** The service's user, group, cwd, env and umask. */
  runAs?: RunAs;
  /** Interpreter of `script`. Default `/bin/sh`. */
  shell?: string;
  /** The service runs: stop it first (stop_script, or SIGTERM to the process liveness found), then run `script`. */
  stop?: StopRequest;
}

/** How a running service is stopped before its restart. */
export interface StopRequest {
  /** The process liveness matched, and its start time: only that very process is ever signalled. */
  pid?: number;
  startTicks?: number;
  /** Run with `/bin/sh -c` instead of sending SIGTERM. */
  script?: string;
  /** From SIGTERM (or the stop script's start) to SIGKILL. */
  timeoutMs: number;
}

/** How the stop went. `ok` when the process is gone (or the stop script succeeded and it then exited). */
export interface StopResult {
  ok: boolean;
  /** What was used: the stop script, or the signals. */
  method: 'stop_script' | 'signal';
  /** The last signal sent, if any. */
  signal?: 'SIGTERM' | 'SIGKILL';
  /** The stop script's exit code. */
  exitCode?: number;
  /** Whether it did anything (its stop script started, or a signal was sent): only then is it a restart attempt. */
  attempted: boolean;
  durationMs: number;
  /** Why it failed. */
  error?: string;
}

/** The outcome of one restart; `error` is set only when the script could not even be started. */
export interface RestartResult {
  ok: boolean;
  exitCode?: number;
  signal?: string;
  timedOut: boolean;
  durationMs: number;
  /** Where the script's stdout and stderr went. */
  logPath: string;
  /** Set when the log could not be opened or written: the script ran with its output discarded. */
  logError?: string;
  /** The script's pid, which is also its process group and session id. */
  pid?: number;
  /** With `detach`: the script was still running when the pass stopped waiting. */
  detached?: boolean;
  error?: string;
  /** For a running service: how it was stopped first. When that failed, `script` was not run. */
  stop?: StopResult;
}

export const DEFAULT_KILL_GRACE_MS = 2_000;
export const DEFAULT_DETACH_GRACE_MS = 1_000;
export const DEFAULT_SHELL = '/bin/sh';
