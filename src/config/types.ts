// The validated config: what the rest of the pass works from. Durations are in milliseconds.

/** How a dependency is checked for readiness. */
export type Probe =
  | { kind: 'tcp'; host: string; port: number }
  | { kind: 'http'; url: string }
  /** Name only: ready when that service of this config is healthy. */
  | { kind: 'service' };

export interface Dependency {
  name: string;
  probe: Probe;
  timeoutMs: number;
  /** The name is a service of this config, so this dependency is an edge of the DAG. */
  internal: boolean;
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
}

export interface Defaults {
  probeTimeoutMs: number;
  restartTimeoutMs: number;
  /** Where restart scripts' output goes; undefined: `<state dir>/logs`. */
  logDir?: string;
  /** Upper bound on probes in flight at once. */
  maxConcurrentProbes: number;
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
}

export interface Config {
  /** Services in file order. */
  services: Service[];
  defaults: Defaults;
}
