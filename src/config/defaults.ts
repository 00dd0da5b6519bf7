// The `defaults:` section: values that apply to every service unless it overrides them (pure).
import { isMap, isScalar } from 'yaml';
import type { Defaults, RestartPolicy, RunAs } from './types.js';
import { childPath, type Entry as KeyEntry } from './mapping.js';
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
    convergeMs: defaultOf(DEFAULTS_KEYS.converge)!,
    bootGraceMs: defaultOf(DEFAULTS_KEYS.boot_grace)!,
    policy: {
      startGraceMs: defaultOf(DEFAULTS_KEYS.start_grace)!,
      maxRestarts: defaultOf(DEFAULTS_KEYS.max_restarts)!,
      windowMs: defaultOf(DEFAULTS_KEYS.restart_window)!,
      backoffMs: defaultOf(DEFAULTS_KEYS.backoff)!,
      backoffMaxMs: defaultOf(DEFAULTS_KEYS.backoff_max)!,
    },
    health: {
      failures: defaultOf(DEFAULTS_KEYS.failures)!,
      restartOnDependencyRecovery: defaultOf(DEFAULTS_KEYS.restart_on_dependency_recovery)!,
      stopTimeoutMs: defaultOf(DEFAULTS_KEYS.stop_timeout)!,
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
  const { values, entries } = readSection(readEntries(node, DEFAULTS_SECTION, ctx), DEFAULTS_KEYS, DEFAULTS_SECTION, ctx);
  return {
    ...withRunAs(overrideRunAs(undefined, values, entries, DEFAULTS_SECTION, ctx)),
    probeTimeoutMs: values.probe_timeout ?? defaults.probeTimeoutMs,
    restartTimeoutMs: values.restart_timeout ?? defaults.restartTimeoutMs,
    maxConcurrentProbes: values.max_concurrent_probes ?? defaults.maxConcurrentProbes,
    remindMs: values.remind ?? defaults.remindMs,
    notifyTimeoutMs: values.notify_timeout ?? defaults.notifyTimeoutMs,
    syslog: values.syslog ?? defaults.syslog,
    syslogSocket: values.syslog_socket ?? defaults.syslogSocket,
    convergeMs: values.converge ?? defaults.convergeMs,
    bootGraceMs: values.boot_grace ?? defaults.bootGraceMs,
    policy: overridePolicy(defaults.policy, values),
    health: {
      failures: values.failures ?? defaults.health.failures,
      restartOnDependencyRecovery: values.restart_on_dependency_recovery ?? defaults.health.restartOnDependencyRecovery,
      stopTimeoutMs: values.stop_timeout ?? defaults.health.stopTimeoutMs,
    },
    ...(values.log_dir === undefined ? {} : { logDir: values.log_dir }),
    ...(values.metrics_file === undefined ? {} : { metricsFile: values.metrics_file }),
    ...(values.notify === undefined ? {} : { notify: values.notify }),
    ...(values.log_max_size === undefined ? {} : { logMaxBytes: values.log_max_size }),
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

/**
 * The run-as keys of a section over those they refine: each key replaces, except `env`, merged name by name.
 * Each `user` and `group` written is noted with its place, for validate's account check.
 */
export function overrideRunAs(
  base: RunAs | undefined,
  v: { user?: string; group?: string; cwd?: string; env?: Record<string, string>; umask?: number },
  at: { user?: KeyEntry; group?: KeyEntry },
  path: string,
  ctx: WalkContext,
): RunAs {
  if (v.user !== undefined && at.user) ctx.noteAccount('user', v.user, at.user.at, childPath(path, 'user'));
  if (v.group !== undefined && at.group) ctx.noteAccount('group', v.group, at.group.at, childPath(path, 'group'));
  const runAs: RunAs = { ...base };
  if (v.user !== undefined) runAs.user = v.user;
  if (v.group !== undefined) runAs.group = v.group;
  if (v.cwd !== undefined) runAs.cwd = v.cwd;
  if (v.umask !== undefined) runAs.umask = v.umask;
  if (v.env !== undefined) runAs.env = { ...base?.env, ...v.env };
  return runAs;
}

/** `{ runAs }` when it sets anything, else nothing: a config without these keys stays as it was. */
export function withRunAs(runAs: RunAs): { runAs?: RunAs } {
  return Object.keys(runAs).length === 0 ? {} : { runAs };
}
