// One run, wired: config -> lock -> state -> rounds of probe, decide, restart, save (rounds.ts) -> report.
// Owns the clock, the lock and the signals; the stages it calls in between are pure.
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { RestartResult } from './act/types.js';
import type { CliOptions } from './cli/args.js';
import { readConfigCache, writeConfigCache, type CacheKey } from './config/cache.js';
import { parseConfigText, readConfig, readConfigText, resolveConfigPath } from './config/load.js';
import { weakDependencyWarnings } from './config/warnings.js';
import type { Config } from './config/types.js';
import { AutohealError, PassBusyError, StateError } from './errors.js';
import { clampToNow, type State } from './plan/history.js';
import type { Plan } from './plan/types.js';
import { attachRounds, attachUsage, buildReport, type PassReport } from './report/model.js';
import { readUsage } from './probe/usage.js';
import { withDeadline } from './probe/deadline.js';
import { decideOnce, healInRounds } from './rounds.js';
import { watchStopSignals } from './signals.js';
import { resolveStateDir } from './state/location.js';
import { acquireLock, findLockHolder } from './state/lock.js';
import { printable } from './text/printable.js';
import { buildId } from './version.js';
import { readState } from './state/store.js';

type Env = NodeJS.ProcessEnv;

const USAGE_TIMEOUT_MS = 2000;

/** `validate`: reads and checks the config (ownership too, as root); throws ConfigError with every problem. */
export async function runValidate(options: Pick<CliOptions, 'config'>, env: Env): Promise<{ config: string; services: string[]; warnings: string[] }> {
  const path = resolveConfigPath(options.config, env);
  const config = await readConfig(path, { requireRootOwned: process.getuid?.() === 0 });
  const warnings = weakDependencyWarnings(config.services, (s) => s.health?.check !== undefined);
  return { config: path, services: config.services.map((s) => s.name), warnings };
}

/** One full pass. With dryRun everything is probed and decided, but nothing is run, locked or written. */
export async function runPass(options: CliOptions, env: Env): Promise<PassReport> {
  const report = await runPassOnce(options, env);
  if (!options.json && !options.verbose) return report;
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
    const plan = await decideOnce({ config, signals: { stopped: () => undefined, dispose: () => undefined } }, state, startedAt);
    return finish(plan, new Map(), { warnings: warning ? [warning] : [] });
  }
  const lock = await acquireLock(stateDir);
  if (!lock) throw busyError(stateDir);
  const signals = watchStopSignals();
  try {
    if (uncached) writeConfigCache(stateDir, uncached, config);
    const { state, warning } = await readHistory(stateDir, config, startedAt);
    const warnings = warning ? [warning] : [];
    const logDir = config.defaults.logDir ?? join(stateDir, 'logs');
    const convergeMs = options.convergeMs ?? config.defaults.convergeMs;
    const run = await healInRounds({ config, stateDir, logDir, env, signals, warnings, startedAt, convergeMs }, state);
    const results = new Map([...run.restarts].map(([name, r]) => [name, r.result]));
    const interrupted = signals.stopped();
    const report = finish(run.plan, results, { warnings, ...(interrupted ? { interrupted } : {}) });
    return convergeMs > 0 ? attachRounds(report, run.restarts, run.timeline) : report;
  } finally {
    signals.dispose();
    await lock.release();
  }
}

/**
 * The config, from the cache when this build already parsed this very text; `uncached` is the key to store it
 * under when it had to be parsed. The file itself is always read and checked (ownership, size) first.
 */
async function loadConfig(path: string, stateDir: string, uid: number): Promise<{ config: Config; uncached?: CacheKey }> {
  const text = await readConfigText(path, { requireRootOwned: uid === 0 });
  if (buildId === undefined) return { config: await parseConfigText(text, path) };
  const key = { build: buildId, path, text };
  const cached = readConfigCache(stateDir, key, uid === 0);
  return cached ? { config: cached } : { config: await parseConfigText(text, path), uncached: key };
}

// Anyone may bind an abstract socket name: a holder that is not running as us is squatting, not a pass.
function busyError(stateDir: string): AutohealError {
  const holder = findLockHolder(stateDir);
  const uid = process.getuid?.();
  if (holder && holder.uid !== uid) {
    return new StateError(`the lock of ${stateDir} is held by pid ${holder.pid} (${printable(holder.command)}, uid ${holder.uid}), which is not a pass of autoheal-once; nothing was done`);
  }
  return new PassBusyError(stateDir, holder?.pid);
}

/** The saved history, with times a clock step left in the future brought back to now. */
async function readHistory(stateDir: string, config: Config, now: number): Promise<{ state: State; warning?: string }> {
  const { state, warning } = await readState(stateDir);
  return { state: clampToNow(state, config.services, now), ...(warning ? { warning } : {}) };
}
