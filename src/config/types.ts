// The validated config: what the rest of the pass works from. Durations are in milliseconds.
import type { RunAs } from '../util/run-as.js';

export type { RunAs };

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
  /** User, group, working directory, environment and umask of its script (defaults applied); absent: none set. */
  runAs?: RunAs;
}

export interface Defaults {
  probeTimeoutMs: number;
  restartTimeoutMs: number;
  /** Where restart scripts' output goes; undefined: `<state dir>/logs`. */
  logDir?: string;
  /** Upper bound on probes in flight at once. */
  maxConcurrentProbes: number;
  policy: RestartPolicy;
  /** User, group, working directory, environment and umask of every service's script unless it overrides them. */
  runAs?: RunAs;
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
