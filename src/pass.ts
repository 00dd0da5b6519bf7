// One pass, wired: config -> lock -> state -> probe -> decide -> restart -> state, audit -> report.
// Owns the clock, the real probes and every side effect; the stages it calls in between are pure.
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { buildRestartRequests } from './act/requests.js';
import type { RestartRequest, RestartResult } from './act/types.js';
import type { CliOptions } from './cli/args.js';
import { readConfigCache, writeConfigCache, type CacheKey } from './config/cache.js';
import { parseConfigText, readConfig, readConfigText, resolveConfigPath } from './config/load.js';
import type { Config } from './config/types.js';
import { AutohealError, PassBusyError, StateError } from './errors.js';
import { buildEdges, dependencyOrder } from './graph/graph.js';
import { decide, depsToProbe } from './plan/decide.js';
import { clampToNow, recordPass, type State } from './plan/history.js';
import type { Plan } from './plan/types.js';
import { observeLiveness, observeReadiness } from './probe/observe.js';
import { attachUsage, buildReport, type PassReport } from './report/model.js';
import { detectChanges, recordReported } from './report/changes.js';
import { publishMetrics } from './publish/metrics.js';
import { publishPass } from './publish/pass.js';
import { readUsage } from './probe/usage.js';
import { withDeadline } from './probe/deadline.js';
import { watchStopSignals, type StopWatch } from './signals.js';
import { appendAudit } from './state/audit.js';
import { buildOutcomeEvents, buildStartedEvents } from './state/audit.js';
import { resolveStateDir } from './state/location.js';
import { acquireLock } from './state/lock.js';
import { findLockHolder } from './state/lock.js';
import { printable } from './text/printable.js';
import { buildId } from './version.js';
import { readState, writeState } from './state/store.js';

type Env = NodeJS.ProcessEnv;

const USAGE_TIMEOUT_MS = 2000;

/** `validate`: reads and checks the config (ownership too, as root); throws ConfigError with every problem. */
export async function runValidate(options: Pick<CliOptions, 'config'>, env: Env): Promise<{ config: string; services: string[] }> {
  const path = resolveConfigPath(options.config, env);
  const config = await readConfig(path, { requireRootOwned: process.getuid?.() === 0 });
  return { config: path, services: config.services.map((s) => s.name) };
}

/**
 * One full pass. With dryRun everything is probed and decided, but nothing is run, locked or written. A pass
 * that cannot judge at all (bad config, unusable state directory) still writes the --metrics-file it was given,
 * with exit code 3, so monitoring sees it; one that found another pass running leaves that pass's metrics be.
 */
export async function runPass(options: CliOptions, env: Env): Promise<PassReport> {
  const startedAt = Date.now();
  let report: PassReport;
  try {
    report = await runPassOnce(options, env);
  } catch (error) {
    if (options.metricsFile && !options.dryRun && !(error instanceof PassBusyError)) {
      const exitCode = error instanceof AutohealError ? error.exitCode : 3;
      publishMetrics(options.metricsFile, { exitCode, at: Date.now(), durationMs: Date.now() - startedAt });
    }
    throw error;
  }
  if (options.format !== 'json' && !options.verbose) return report;
  const pids = report.services.flatMap((s) => (s.state === 'healthy' && s.liveness.pid !== undefined ? [s.liveness.pid] : []));
  // Bounded: pidusage reads /proc on the thread pool, which a hung filesystem may have filled.
  const usage = await withDeadline(readUsage(pids), USAGE_TIMEOUT_MS);
  return usage.timedOut ? report : attachUsage(report, usage.value);
}

async function runPassOnce(options: CliOptions, env: Env): Promise<PassReport> {
  const startedAt = Date.now();
  const clock = performance.now();
  const uid = process.getuid?.() ?? -1;
  const stateDir = resolveStateDir(options.stateDir, env, uid);
  const { config, uncached } = await loadConfig(resolveConfigPath(options.config, env), stateDir, uid);
  const finish = (plan: Plan, results: ReadonlyMap<string, RestartResult>, extra: Pick<PassReport, 'warnings' | 'interrupted'>) =>
    ({ ...buildReport(plan, results, options.dryRun, startedAt, performance.now() - clock), ...extra });
  if (options.dryRun) {
    const { state, warning } = await readHistory(stateDir, config, startedAt);
    const plan = await observeAndDecide(config, state, startedAt, undefined);
    return finish(plan, new Map(), { warnings: warning ? [warning] : [] });
  }
  const lock = await acquireLock(stateDir);
  if (!lock) throw busyError(stateDir);
  const signals = watchStopSignals();
  try {
    if (uncached) writeConfigCache(stateDir, uncached, config);
    const { state, warning } = await readHistory(stateDir, config, startedAt);
    const warnings = warning ? [warning] : [];
    const plan = await observeAndDecide(config, state, startedAt, signals);
    const logDir = config.defaults.logDir ?? join(stateDir, 'logs');
    const requests = signals.stopped() ? [] : buildRestartRequests(plan, logDir, env);
    const results = await restart(requests, { stateDir, state, plan, config, now: startedAt, warnings });
    const interrupted = signals.stopped();
    const report = finish(plan, results, { warnings, ...(interrupted ? { interrupted } : {}) });
    // What changed since the last report is told once; the history remembers what was told.
    const changes = detectChanges(report, state, config.defaults.remindMs, startedAt);
    const next = recordReported(recordPass(state, plan, results, startedAt), report, changes, startedAt);
    if (JSON.stringify(next) !== JSON.stringify(state)) await writeState(stateDir, next);
    // The restarts happened and the state is saved: a full disk for the audit log is worth a warning, not exit 3.
    await appendAudit(stateDir, buildOutcomeEvents(plan, results, Date.now())).catch((e: Error) => warnings.push(e.message));
    await publishPass({ report, changes, state: next, config, options, env });
    return { ...report, changes };
  } finally {
    signals.dispose();
    await lock.release();
  }
}

/**
 * The config, from the cache when this build already parsed this very text; `uncached` is the key to store it
 * under when it had to be parsed. The file itself is always read and checked (ownership, size) first.
 */
export async function loadConfig(path: string, stateDir: string, uid: number): Promise<{ config: Config; uncached?: CacheKey }> {
  const text = await readConfigText(path, { requireRootOwned: uid === 0 });
  if (buildId === undefined) return { config: await parseConfigText(text, path) };
  const key = { build: buildId, path, text };
  const cached = readConfigCache(stateDir, key, uid === 0);
  return cached ? { config: cached } : { config: await parseConfigText(text, path), uncached: key };
}

// Anyone may bind an abstract socket name: a holder that is not running as us is squatting, not a pass.
export function busyError(stateDir: string): AutohealError {
  const holder = findLockHolder(stateDir);
  const uid = process.getuid?.();
  if (holder && holder.uid !== uid) {
    return new StateError(`the lock of ${stateDir} is held by pid ${holder.pid} (${printable(holder.command)}, uid ${holder.uid}), which is not a pass of autoheal-once; nothing was done`);
  }
  return new PassBusyError(stateDir, holder?.pid);
}

/** The saved history, with times a clock step left in the future brought back to now. */
export async function readHistory(stateDir: string, config: Config, now: number): Promise<{ state: State; warning?: string }> {
  const { state, warning } = await readState(stateDir);
  return { state: clampToNow(state, config.services, now), ...(warning ? { warning } : {}) };
}

/** Probes what the decision needs (dependencies only of services that are down), then decides. */
export async function observeAndDecide(config: Config, state: State, now: number, signals: StopWatch | undefined): Promise<Plan> {
  const { services, defaults } = config;
  const liveness = await observeLiveness(services, defaults.maxConcurrentProbes);
  // After a stop signal no new probe starts: unprobed dependencies leave their services blocked.
  const deps = signals?.stopped() ? [] : depsToProbe(services, liveness);
  const readiness = await observeReadiness(deps, defaults.maxConcurrentProbes);
  return decide(services, dependencyOrder(buildEdges(services)), { liveness, readiness }, state, now);
}

interface RestartContext {
  stateDir: string;
  state: State;
  plan: Plan;
  config: Config;
  now: number;
  warnings: string[];
}

/**
 * Runs the planned restarts in parallel. Before any script runs, the attempts are saved and audited, so a pass
 * killed mid-restart still counts them: the next pass sees the start grace and the limits, not a clean slate.
 */
async function restart(requests: RestartRequest[], ctx: RestartContext): Promise<Map<string, RestartResult>> {
  if (requests.length === 0) return new Map();
  const attempted = new Map(requests.map((r) => [r.service, { ok: true }]));
  await writeState(ctx.stateDir, recordPass(ctx.state, ctx.plan, attempted, ctx.now));
  // The attempts are saved; an audit log that cannot take them must not stop the healing.
  await appendAudit(ctx.stateDir, buildStartedEvents(requests, ctx.now)).catch((e: Error) => ctx.warnings.push(e.message));
  // Loaded only now, so a pass that restarts nothing never loads execa.
  const { runRestarts } = await import('./act/restart.js');
  const results = await runRestarts(requests);
  return new Map(requests.map((r, i) => [r.service, results[i]!]));
}
