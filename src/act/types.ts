// What a restart is asked to do and what it reports: one shape for success and failure, like execa's result.

/** One restart of one service. */
export interface RestartRequest {
  service: string;
  /** Run with `/bin/sh -c`. */
  script: string;
  /** Why the pass restarts it, one line; goes to the log header and to $AUTOHEAL_REASON. */
  reason: string;
  /** Bound on the script's run; when it expires the script's whole process group is killed. */
  timeoutMs: number;
  /** Directory of the per-service logs; created 0750 when missing. */
  logDir: string;
  /** Environment the script inherits (the caller passes process.env). */
  baseEnv: Readonly<Record<string, string | undefined>>;
  /** Start the script and do not wait for it: for scripts that run the service in the foreground. */
  detach?: boolean;
  /** With `detach`: how long the script must survive to count as started. Default 1000 ms. */
  detachGraceMs?: number;
  /** After a timeout, time between SIGTERM and SIGKILL to the group. Default 2000 ms. */
  killGraceMs?: number;
  /** Working directory of the script. Default `/`, so a daemon does not pin the cron's cwd. */
  cwd?: string;
  /** Interpreter of `script`. Default `/bin/sh`. */
  shell?: string;
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
  /** The script's pid, which is also its process group and session id. */
  pid?: number;
  /** With `detach`: the script was still running when the pass stopped waiting. */
  detached?: boolean;
  error?: string;
}

export const DEFAULT_KILL_GRACE_MS = 2_000;
export const DEFAULT_DETACH_GRACE_MS = 1_000;
export const DEFAULT_SHELL = '/bin/sh';
