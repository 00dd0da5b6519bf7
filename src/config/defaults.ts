// The `defaults:` section: values that apply to every service unless it overrides them (pure).
import { isMap, isScalar } from 'yaml';
import type { Defaults, RestartPolicy } from './types.js';
import type { WalkContext } from './context.js';
import { describeFound } from './found.js';
import { DEFAULTS_KEYS, DEFAULTS_SECTION } from './keys.js';
import { readEntries, type Entry } from './mapping.js';
import { readSection, type KeySpec } from './table.js';

/** The value a key takes when absent: its table default run through its own check. */
export function defaultOf<T>(spec: KeySpec<T>): T | undefined {
  return spec.default === undefined ? undefined : spec.check?.accept(spec.default);
}

/** Defaults with nothing overridden. */
export function builtinDefaults(): Defaults {
  return {
    probeTimeoutMs: defaultOf(DEFAULTS_KEYS.probe_timeout)!,
    restartTimeoutMs: defaultOf(DEFAULTS_KEYS.restart_timeout)!,
    maxConcurrentProbes: defaultOf(DEFAULTS_KEYS.max_concurrent_probes)!,
    remindMs: defaultOf(DEFAULTS_KEYS.remind)!,
    notifyTimeoutMs: defaultOf(DEFAULTS_KEYS.notify_timeout)!,
    syslog: defaultOf(DEFAULTS_KEYS.syslog)!,
    syslogSocket: defaultOf(DEFAULTS_KEYS.syslog_socket)!,
    policy: {
      startGraceMs: defaultOf(DEFAULTS_KEYS.start_grace)!,
      maxRestarts: defaultOf(DEFAULTS_KEYS.max_restarts)!,
      windowMs: defaultOf(DEFAULTS_KEYS.restart_window)!,
      backoffMs: defaultOf(DEFAULTS_KEYS.backoff)!,
      backoffMaxMs: defaultOf(DEFAULTS_KEYS.backoff_max)!,
    },
  };
}

/** Reads the `defaults:` entry (absent or left empty: the built-in defaults). */
export function readDefaults(entry: Entry | undefined, ctx: WalkContext): Defaults {
  const defaults = builtinDefaults();
  if (entry === undefined || entry.unresolved) return defaults;
  const node = entry.value;
  if (isScalar(node) && node.value === null && !node.source) return defaults;
  if (!isMap(node)) {
    ctx.report(entry.at, DEFAULTS_SECTION, `expected a mapping of ${Object.keys(DEFAULTS_KEYS).join(', ')}, found ${describeFound(node)}`);
    return defaults;
  }
  const { values } = readSection(readEntries(node, DEFAULTS_SECTION, ctx), DEFAULTS_KEYS, DEFAULTS_SECTION, ctx);
  return {
    probeTimeoutMs: values.probe_timeout ?? defaults.probeTimeoutMs,
    restartTimeoutMs: values.restart_timeout ?? defaults.restartTimeoutMs,
    maxConcurrentProbes: values.max_concurrent_probes ?? defaults.maxConcurrentProbes,
    remindMs: values.remind ?? defaults.remindMs,
    notifyTimeoutMs: values.notify_timeout ?? defaults.notifyTimeoutMs,
    syslog: values.syslog ?? defaults.syslog,
    syslogSocket: values.syslog_socket ?? defaults.syslogSocket,
    policy: overridePolicy(defaults.policy, values),
    ...(values.log_dir === undefined ? {} : { logDir: values.log_dir }),
    ...(values.metrics_file === undefined ? {} : { metricsFile: values.metrics_file }),
    ...(values.notify === undefined ? {} : { notify: values.notify }),
  };
}

/** The restart-limit keys of a section (defaults or one service) over the policy they refine. */
export function overridePolicy(
  base: RestartPolicy,
  v: { start_grace?: number; max_restarts?: number; restart_window?: number; backoff?: number; backoff_max?: number },
): RestartPolicy {
  return {
    startGraceMs: v.start_grace ?? base.startGraceMs,
    maxRestarts: v.max_restarts ?? base.maxRestarts,
    windowMs: v.restart_window ?? base.windowMs,
    backoffMs: v.backoff ?? base.backoffMs,
    backoffMaxMs: v.backoff_max ?? base.backoffMaxMs,
  };
}
