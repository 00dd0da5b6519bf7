// Every key of the config, per section: adding a key is one entry here (plus where its value is used).
// The JSON Schema (schema/autoheal.schema.json) lists the same keys; a test keeps the two equal.
import {
  absolutePath,
  accountName,
  boolean,
  cpuPercent,
  duration,
  durationOrZero,
  host,
  httpUrl,
  nonEmptyString,
  port,
  positiveInteger,
  promFile,
  size,
  umask,
} from './checks.js';
import { envKey, listKey, mapKey, scalarKey } from './table.js';

/** The reserved top-level key holding DEFAULTS_KEYS; every other top-level key is a service. */
export const DEFAULTS_SECTION = 'defaults';

/** Keys under the top-level `defaults:` mapping. */
export const DEFAULTS_KEYS = {
  probe_timeout: scalarKey(
    duration,
    'Bound on each probe (pid file read, TCP connect, HTTP request); services and dependencies may override it.',
    '5s',
  ),
  restart_timeout: scalarKey(duration, 'Bound on a restart script; past it the script is killed and the restart counts as failed.', '60s'),
  log_dir: scalarKey(absolutePath, "Absolute directory for restart scripts' output; when unset, <state dir>/logs."),
  log_max_size: scalarKey(
    size,
    "Cap of each service's restart log: past it, before the next run, the log becomes <log>.1 (replacing the older one).",
    '10MiB',
  ),
  max_concurrent_probes: scalarKey(positiveInteger, 'Upper bound on probes in flight at once.', 128),
  start_grace: scalarKey(
    duration,
    'After a restart, how long the service is `starting`: not judged and not restarted again; still dead after it, the restart counts as failed.',
    '30s',
  ),
  max_restarts: scalarKey(
    positiveInteger,
    'At most this many restarts within restart_window; then the service is `gave_up` until its backoff ends.',
    3,
  ),
  restart_window: scalarKey(duration, 'The sliding window of max_restarts; a service healthy for this long has its backoff reset.', '5m'),
  backoff: scalarKey(duration, 'The first wait after max_restarts is reached; it doubles each time the limit is reached again.', '5m'),
  backoff_max: scalarKey(duration, 'The longest wait between tries of a service that keeps dying.', '1h'),
  remind: scalarKey(
    duration,
    'Under cron a pass prints only what changed since the last one; an ongoing problem (blocked, gave up, unknown) is printed again once per this long.',
    '1h',
  ),
  notify: scalarKey(
    nonEmptyString,
    'Command run with /bin/sh -c on restarted, restart_failed, gave_up, recovered and blocked (once when it starts), with AUTOHEAL_EVENT, AUTOHEAL_SERVICE, AUTOHEAL_REASON, AUTOHEAL_HOST set and the event as one JSON line on stdin; a service may set its own.',
  ),
  notify_timeout: scalarKey(duration, 'Bound on each notify command; past it the command is killed and the pass goes on with a warning.', '10s'),
  syslog: scalarKey(boolean, 'Each action also as one line to the system log, tag autoheal (journalctl -t autoheal); --syslog does the same.', false),
  syslog_socket: scalarKey(absolutePath, 'The system log socket the lines go to.', '/dev/log'),
  metrics_file: scalarKey(
    promFile,
    "Prometheus metrics written after every pass, atomically, for node_exporter's textfile collector (a *.prom file in its directory); --metrics-file overrides it.",
  ),
  user: scalarKey(
    accountName,
    'User that scripts, stop scripts and command probes run as (its uid, primary group, supplementary groups, HOME, USER, LOGNAME and SHELL); autoheal-once must run as root. When unset, root.',
  ),
  group: scalarKey(accountName, "Group that scripts, stop scripts and command probes run as, instead of the user's primary group."),
  cwd: scalarKey(absolutePath, 'Working directory of scripts, stop scripts and command probes.', '/'),
  env: envKey('Environment variables set for scripts, stop scripts and command probes, on top of the inherited environment: NAME: value.'),
  umask: scalarKey(
    umask,
    'File mode creation mask of scripts, stop scripts and command probes, in octal; when unset, the one autoheal-once was started with.',
  ),
  failures: scalarKey(
    positiveInteger,
    'Passes in a row a running service must fail its check (or exceed max_memory or max_cpu) before it counts as unhealthy and is restarted.',
    3,
  ),
  restart_on_dependency_recovery: scalarKey(
    boolean,
    'Restart a running service once, when a pass sees all its dependencies ready again after one was seen not ready while it ran.',
    false,
  ),
  stop_timeout: scalarKey(
    duration,
    'Before restarting a running service: how long to wait for it to exit after SIGTERM (or its stop_script) before SIGKILL.',
    '10s',
  ),
  converge: scalarKey(
    durationOrZero,
    'After the first wave, keep probing in rounds about a second apart for up to this long, and restart each waiting service as soon as its dependencies are ready, so a whole chain comes back in one run; keep it below the cron interval. 0: off.',
    '0s',
  ),
  boot_grace: scalarKey(
    durationOrZero,
    "While the host's uptime is below this, a pass probes and reports but starts and stops nothing, so it does not race the host's own init after a power cut; 90s is a good value.",
    '0s',
  ),
};

/**
 * The probe keys, shared by a dependency and a service's `check`: one of host+port, url, socket or command.
 * Only `timeout`'s text differs between the two.
 */
const PROBE_KEYS = {
  host: scalarKey(host, 'Host for a TCP probe; with `port` only, 127.0.0.1. A name is tried on each of its addresses.', '127.0.0.1'),
  port: scalarKey(port, 'TCP port: ready when a connection is accepted.'),
  url: scalarKey(httpUrl, 'http:// or https:// URL: ready when a GET answers 2xx or 3xx (redirects are not followed).'),
  ca_file: scalarKey(absolutePath, 'With an https:// url: a PEM file of the CA certificates to trust instead of the system ones (a private CA).'),
  tls_verify: scalarKey(
    boolean,
    'With an https:// url: false accepts any certificate (self-signed, expired, another name). Insecure: anyone on the path can answer for the server.',
    true,
  ),
  socket: scalarKey(absolutePath, 'Absolute path of a unix stream socket: ready when a connection is accepted (e.g. /run/postgresql/.s.PGSQL.5432).'),
  command: scalarKey(
    nonEmptyString,
    'Command run with /bin/sh -c: ready when it exits 0 within the timeout; killed with its process group at the timeout.',
  ),
};

/** Keys of one dependency (an item of a service's `dep` list). */
export const DEP_KEYS = {
  name: scalarKey(
    nonEmptyString,
    'A service of this config (then an edge of the graph; with no probe key it is ready when that service is healthy, or, when it has a check, healthy and passing it), or a label for an external dependency.',
  ),
  ...PROBE_KEYS,
  timeout: scalarKey(duration, "Bound on this dependency's probe; overrides the service's probe_timeout."),
};

/** Keys of a service's own `check`: one probe of the same kinds as a dependency's. */
export const CHECK_KEYS = {
  ...PROBE_KEYS,
  timeout: scalarKey(duration, "Bound on the check; overrides the service's probe_timeout."),
};

/** Keys of one service (any top-level key but `defaults`). */
export const SERVICE_KEYS = {
  pname: scalarKey(nonEmptyString, 'Process name: running when a process has this name (as `pgrep -x`, or the basename of argv[0]).'),
  pid_file: scalarKey(
    absolutePath,
    'Absolute path of a pid file: running when the pid it holds is a live process (with pname too, that process must carry pname).',
  ),
  script: scalarKey(nonEmptyString, 'Command that restarts the service, run with /bin/sh -c in its own session.'),
  dep: listKey(DEP_KEYS, 'dependencies', 'Direct dependencies: the service is restarted only when every one of them is ready.'),
  probe_timeout: scalarKey(duration, 'Overrides defaults.probe_timeout for this service and its dependencies.'),
  restart_timeout: scalarKey(duration, 'Overrides defaults.restart_timeout for this service.'),
  start_grace: scalarKey(duration, 'Overrides defaults.start_grace for this service.'),
  max_restarts: scalarKey(positiveInteger, 'Overrides defaults.max_restarts for this service.'),
  restart_window: scalarKey(duration, 'Overrides defaults.restart_window for this service.'),
  backoff: scalarKey(duration, 'Overrides defaults.backoff for this service.'),
  backoff_max: scalarKey(duration, 'Overrides defaults.backoff_max for this service.'),
  notify: scalarKey(nonEmptyString, "Overrides defaults.notify for this service's events."),
  user: scalarKey(accountName, 'Overrides defaults.user for this service.'),
  group: scalarKey(accountName, 'Overrides defaults.group for this service.'),
  cwd: scalarKey(absolutePath, 'Overrides defaults.cwd for this service.'),
  env: envKey('Merged over defaults.env for this service: a name set in both takes the value given here.'),
  umask: scalarKey(umask, 'Overrides defaults.umask for this service.'),
  check: mapKey(
    CHECK_KEYS,
    'one of host+port, url, socket or command',
    "The service's own health check, probed every pass while it runs: failing it `failures` passes in a row (with its dependencies ready) restarts it.",
  ),
  failures: scalarKey(positiveInteger, 'Overrides defaults.failures for this service.'),
  restart_on_dependency_recovery: scalarKey(boolean, 'Overrides defaults.restart_on_dependency_recovery for this service.'),
  max_memory: scalarKey(size, 'Resident memory limit (512MiB, 2GiB): over it `failures` passes in a row, the running service is restarted.'),
  max_cpu: scalarKey(
    cpuPercent,
    'CPU limit in percent of one core, measured over the pass: over it `failures` passes in a row, the running service is restarted.',
  ),
  stop_script: scalarKey(
    nonEmptyString,
    'Command that stops the running service before a restart, run with /bin/sh -c; without it the process liveness found gets SIGTERM.',
  ),
  stop_timeout: scalarKey(duration, 'Overrides defaults.stop_timeout for this service.'),
  detach: scalarKey(
    boolean,
    'The script runs the service in the foreground: start it in its own session and do not wait for it (it counts as started when it is still running after 1 s).',
    false,
  ),
};

/** Keys valid only under `defaults`, for the hint given when one is written in a service. */
export const ONLY_IN_DEFAULTS: Readonly<Record<string, string>> = Object.fromEntries(
  Object.keys(DEFAULTS_KEYS)
    .filter((k) => !Object.hasOwn(SERVICE_KEYS, k))
    .map((k) => [k, DEFAULTS_SECTION]),
);

/**
 * Where a key misplaced in a service belongs: defaults-only keys under `defaults`, probe keys under `check` (or in
 * a `dep` item), for the hint given instead of a list of every service key.
 */
export const ELSEWHERE_THAN_SERVICE: Readonly<Record<string, string>> = {
  ...ONLY_IN_DEFAULTS,
  ...Object.fromEntries(Object.keys(PROBE_KEYS).map((k) => [k, 'check'])),
};
