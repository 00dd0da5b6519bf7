// Every key of the config, per section: adding a key is one entry here (plus where its value is used).
// The JSON Schema (schema/autoheal.schema.json) lists the same keys; a test keeps the two equal.
import { absolutePath, boolean, duration, host, httpUrl, nonEmptyString, port, positiveInteger, promFile } from './checks.js';
import { listKey, scalarKey } from './table.js';

/** The reserved top-level key holding DEFAULTS_KEYS; every other top-level key is a service. */
export const DEFAULTS_SECTION = 'defaults';

/** Keys under the top-level `defaults:` mapping. */
export const DEFAULTS_KEYS = {
  probe_timeout: scalarKey(duration, 'Bound on each probe (pid file read, TCP connect, HTTP request); services and dependencies may override it.', '5s'),
  restart_timeout: scalarKey(duration, 'Bound on a restart script; past it the script is killed and the restart counts as failed.', '60s'),
  log_dir: scalarKey(absolutePath, "Absolute directory for restart scripts' output; when unset, <state dir>/logs."),
  max_concurrent_probes: scalarKey(positiveInteger, 'Upper bound on probes in flight at once.', 128),
  start_grace: scalarKey(duration, 'After a restart, how long the service is `starting`: not judged and not restarted again; still dead after it, the restart counts as failed.', '30s'),
  max_restarts: scalarKey(positiveInteger, 'At most this many restarts within restart_window; then the service is `gave_up` until its backoff ends.', 3),
  restart_window: scalarKey(duration, 'The sliding window of max_restarts; a service healthy for this long has its backoff reset.', '5m'),
  backoff: scalarKey(duration, 'The first wait after max_restarts is reached; it doubles each time the limit is reached again.', '5m'),
  backoff_max: scalarKey(duration, 'The longest wait between tries of a service that keeps dying.', '1h'),
  remind: scalarKey(duration, 'Under cron a pass prints only what changed since the last one; an ongoing problem (blocked, gave up, unknown) is printed again once per this long.', '1h'),
  notify: scalarKey(nonEmptyString, 'Command run with /bin/sh -c on restarted, restart_failed, gave_up, recovered and blocked (once when it starts), with AUTOHEAL_EVENT, AUTOHEAL_SERVICE, AUTOHEAL_REASON, AUTOHEAL_HOST set and the event as one JSON line on stdin; a service may set its own.'),
  notify_timeout: scalarKey(duration, 'Bound on each notify command; past it the command is killed and the pass goes on with a warning.', '10s'),
  syslog: scalarKey(boolean, 'Each action also as one line to the system log, tag autoheal (journalctl -t autoheal); --syslog does the same.', false),
  syslog_socket: scalarKey(absolutePath, 'The system log socket the lines go to.', '/dev/log'),
  metrics_file: scalarKey(promFile, "Prometheus metrics written after every pass, atomically, for node_exporter's textfile collector (a *.prom file in its directory); --metrics-file overrides it."),
};

/** Keys of one dependency (an item of a service's `dep` list). */
export const DEP_KEYS = {
  name: scalarKey(
    nonEmptyString,
    'A service of this config (then an edge of the graph; with no host/port/url it is ready when that service is healthy), or a label for an external dependency.',
  ),
  host: scalarKey(host, 'Host for a TCP probe; with `port` only, 127.0.0.1.', '127.0.0.1'),
  port: scalarKey(port, 'TCP port: ready when a connection is accepted.'),
  url: scalarKey(httpUrl, 'http:// or https:// URL: ready when a GET answers 2xx or 3xx (redirects are not followed).'),
  timeout: scalarKey(duration, "Bound on this dependency's probe; overrides the service's probe_timeout."),
};

/** Keys of one service (any top-level key but `defaults`). */
export const SERVICE_KEYS = {
  pname: scalarKey(nonEmptyString, 'Process name: running when a process has this name (as `pgrep -x`, or the basename of argv[0]).'),
  pid_file: scalarKey(absolutePath, 'Absolute path of a pid file: running when the pid it holds is a live process (with pname too, that process must carry pname).'),
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
  detach: scalarKey(boolean, 'The script runs the service in the foreground: start it in its own session and do not wait for it (it counts as started when it is still running after 1 s).', false),
};

/** Keys valid only under `defaults`, for the hint given when one is written in a service. */
export const ONLY_IN_DEFAULTS: Readonly<Record<string, string>> = Object.fromEntries(
  Object.keys(DEFAULTS_KEYS)
    .filter((k) => !Object.hasOwn(SERVICE_KEYS, k))
    .map((k) => [k, DEFAULTS_SECTION]),
);
