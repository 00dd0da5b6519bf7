// The validated config: what the rest of the pass works from. Durations are in milliseconds.
import type { RunAs } from '../util/run-as.js';

export type { RunAs };

/** How a dependency is checked for readiness, or a service for its own health. */
export type Probe =
  /** Every address the host resolves to is tried. */
  | { kind: 'tcp'; host: string; port: number }
  /** `caFile`: trust these CAs instead of the system's; `tlsVerify: false`: accept any certificate. */
  | { kind: 'http'; url: string; caFile?: string; tlsVerify?: false }
  /** A unix stream socket accepts a connection. */
  | { kind: 'socket'; path: string }
  /** `/bin/sh -c command` exits 0 in time; run as the service's `user`, `group`, `cwd`, `env` and `umask`. */
  | { kind: 'command'; command: string; runAs?: RunAs }
  /** Name only: ready when that service of this config is healthy. */
  | { kind: 'service' };

/** A probe that stands on its own (every kind but `service`). */
export type TargetProbe = Exclude<Probe, { kind: 'service' }>;

/** A service's own check: one probe with its bound. */
export interface HealthCheck {
  probe: TargetProbe;
  timeoutMs: number;
}

/**
 * What makes a running service count as broken, and how it is stopped before its restart. Present only when the
 * service asks for it (check, max_memory, max_cpu or restart_on_dependency_recovery): a service without it is
 * judged by liveness alone, and its dependencies are probed only when it is down.
 */
export interface Health {
  check?: HealthCheck;
  /** Passes in a row a check (or a limit) must fail before the service is unhealthy. */
  failures: number;
  restartOnDependencyRecovery: boolean;
  maxMemoryBytes?: number;
  /** Percent of one core, averaged between two passes. */
  maxCpuPercent?: number;
  /** Run with `/bin/sh -c` to stop it; without it, SIGTERM to the process liveness found. */
  stopScript?: string;
  /** SIGTERM (or the stop script) to SIGKILL. */
  stopTimeoutMs: number;
}

export interface Dependency {
  name: string;
  probe: Probe;
  timeoutMs: number;
  /** The name is a service of this config, so this dependency is an edge of the DAG. */
  internal: boolean;
  /** Where its list item is written in the config, for what is said of it after the parse (validate's warnings). */
  at?: { line: number; col: number };
}

/** How often a service may be restarted, and how long to wait when it keeps dying. */
export interface RestartPolicy {
  startGraceMs: number;
  maxRestarts: number;
  windowMs: number;
  backoffMs: number;
  backoffMaxMs: number;
}

export interface Service {
  name: string;
  /** Process name, matched as `pgrep -x` does and against the basename of argv[0]. */
  pname?: string;
  pidFile?: string;
  /** Run with `/bin/sh -c`. */
  script: string;
  deps: Dependency[];
  /** Liveness probe bound (pid file read, /proc lookup). */
  probeTimeoutMs: number;
  restartTimeoutMs: number;
  policy: RestartPolicy;
  /** The script runs the service in the foreground: start it and do not wait. */
  detach: boolean;
  /** Command told about this service's events (its own, else defaults.notify). */
  notify?: string;
  /** User, group, working directory, environment and umask of its script (defaults applied); absent: none set. */
  runAs?: RunAs;
  health?: Health;
}

export interface Defaults {
  probeTimeoutMs: number;
  restartTimeoutMs: number;
  /** Where restart scripts' output goes; undefined: `<state dir>/logs`. */
  logDir?: string;
  /** Cap of each service's restart log, in bytes (past it the log is rotated once); undefined: 10 MiB. */
  logMaxBytes?: number;
  /** Upper bound on probes in flight at once. */
  maxConcurrentProbes: number;
  /** The converge budget of a run (ms); 0: a single round. */
  convergeMs: number;
  /** While the host's uptime is below this, nothing is started or stopped; 0: off. */
  bootGraceMs: number;
  policy: RestartPolicy;
  /** How often an ongoing problem is printed again under cron. */
  remindMs: number;
  /** Command told about events; services may override it. */
  notify?: string;
  notifyTimeoutMs: number;
  /** Each action also to the system log, through this socket. */
  syslog: boolean;
  syslogSocket: string;
  /** Prometheus textfile written after every pass; undefined: none. */
  metricsFile?: string;
  /** User, group, working directory, environment and umask of every service's script unless it overrides them. */
  runAs?: RunAs;
  /** Defaults of the health keys; used only by services that have `health`. */
  health: Pick<Health, 'failures' | 'restartOnDependencyRecovery' | 'stopTimeoutMs'>;
}

export interface Config {
  /** Services in file order. */
  services: Service[];
  defaults: Defaults;
}

/** A `user` or `group` named in the config, where it is written: validate looks it up in the account databases. */
export interface AccountRef {
  kind: 'user' | 'group';
  name: string;
  line: number;
  col: number;
  path: string;
}
