// One run, wired: config -> state -> rounds of probe, decide, restart, save (rounds.ts) -> report, with the lock
// taken at the first write or restart. Owns the clock, the lock and the signals; the stages it calls are pure.
import { join } from 'node:path';
import type { RestartResult } from './act/types.js';
import type { CliOptions } from './cli/args.js';
import { readConfigCache, writeConfigCache, type CacheKey } from './config/cache.js';
import { decodeConfigText, parseConfigText, readConfig, readConfigBytes, resolveConfigPath } from './config/load.js';
import { weakDependencyWarnings } from './config/warnings.js';
import type { Config } from './config/types.js';
import { AutohealError, type ConfigIssue, PassBusyError } from './errors.js';
import { clampToNow, type State } from './plan/history.js';
import type { Plan } from './plan/types.js';
import { attachRounds, attachUsage, buildReport, type PassReport } from './report/model.js';
import { detectChanges, recordReported } from './report/changes.js';
import { publishMetrics } from './publish/metrics.js';
import { publishPass } from './publish/pass.js';
import { readUsage } from './probe/usage.js';
import { withDeadline } from './probe/deadline.js';
import { type ClaimPurpose, decideOnce, healInRounds, type RunContext } from './rounds.js';
import { watchStopSignals } from './signals.js';
import { resolveStateDir } from './state/location.js';
import { acquireLock, type Lock } from './state/lock.js';
import { ensureTrustedDir } from './state/trust.js';
import { messageOf } from './text/errno.js';
import { readProcess } from './probe/proc.js';
import { buildId } from './version.js';
import { readConfigState, stateFileFor, stateVersion, writeState } from './state/store.js';
import { monotonicMs } from './util/clock.js';
import { tuneHeapFor } from './util/heap.js';
import { createPassAccounts } from './util/accounts.js';

type Env = NodeJS.ProcessEnv;

const USAGE_TIMEOUT_MS = 2000;

/** `validate`: reads and checks the config (ownership too, as root); throws ConfigError with every problem. */
export async function runValidate(
  options: Pick<CliOptions, 'config'>,
  env: Env,
): Promise<{ config: string; services: string[]; warnings: ConfigIssue[] }> {
  const path = resolveConfigPath(options.config, env);
  const config = await readConfig(path, { requireRootOwned: process.getuid?.() === 0 });
  const warnings = weakDependencyWarnings(config.services, (s) => s.health?.check !== undefined);
  return { config: path, services: config.services.map((s) => s.name), warnings };
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
  const healthy = report.services.filter((s) => s.state === 'healthy' && s.liveness.pid !== undefined).map((s) => s.liveness);
  // Bounded: pidusage reads /proc on the thread pool, which a hung filesystem may have filled.
  const usage = await withDeadline(readUsage(healthy.map((l) => l.pid!)), USAGE_TIMEOUT_MS);
  if (usage.timedOut) return report;
  // Only the process the probe found: the same pid started at the same tick (not a later one given its pid).
  for (const l of healthy) if (l.startTicks === undefined || startTicksOf(l.pid!) !== l.startTicks) usage.value.delete(l.pid!);
  return attachUsage(report, usage.value);
}

function startTicksOf(pid: number): number | undefined {
  try {
    return readProcess(pid)?.startTicks;
  } catch {
    return undefined;
  }
}

async function runPassOnce(options: CliOptions, env: Env): Promise<PassReport> {
  const startedAt = Date.now();
  const clock = monotonicMs();
  const uid = process.getuid?.() ?? -1;
  const stateDir = resolveStateDir(options.stateDir, env, uid);
  const configPath = resolveConfigPath(options.config, env);
  // As root, nothing in a directory another user could swap is read or written: checked before anything is.
  if (uid === 0) ensureTrustedDir(stateDir, 'the state directory', !options.dryRun);
  const { config, uncached } = await loadConfig(configPath, stateDir, uid);
  const finish = (plan: Plan, results: ReadonlyMap<string, RestartResult>, extra: Pick<PassReport, 'warnings' | 'interrupted' | 'unsaved'>) => ({
    ...buildReport(plan, results, options.dryRun, startedAt, monotonicMs() - clock),
    ...extra,
  });
  if (options.dryRun) {
    const { state, warning } = await readHistory(stateDir, configPath, config, startedAt);
    const plan = await decideOnce({ config, signals: { stopped: () => undefined, dispose: () => undefined } }, state, startedAt);
    return finish(plan, new Map(), { warnings: warning ? [warning] : [] });
  }
  const logDir = config.defaults.logDir ?? join(stateDir, 'logs');
  if (uid === 0) ensureTrustedDir(logDir, 'the log directory (log_dir)', true);
  const signals = watchStopSignals();
  const lock = lockOnFirstWrite(stateDir);
  const stateFile = stateFileFor(configPath);
  // Each `user` and `group` is looked up once in the pass, by the first probe or script that runs as it.
  const accounts = createPassAccounts();
  try {
    // A pass after a config edit writes the config cache first thing: it locks before it reads the history.
    if (uncached) await lock.take();
    for (let attempt = 1; ; attempt++) {
      // A pass that decides again does so on the history and the probes of now; its converge budget still ends
      // when the pass's does.
      const at = attempt === 1 ? startedAt : Date.now();
      const version = stateVersion(stateDir, stateFile);
      const { state, warning } = await readHistory(stateDir, configPath, config, at);
      const claim = async (purpose: ClaimPurpose): Promise<void> => {
        if (!(await lock.take())) return;
        // Restarts are decided under the lock only: another pass may have restarted the service since this one probed
        // it (and failed to save that). A write decided without it stands when no other pass wrote since.
        if (purpose === 'restart' || stateVersion(stateDir, stateFile) !== version) throw new DecideAgain();
      };
      // Another pass saved a newer history since this one read it: its metrics, not these, are the current ones.
      const superseded = (): boolean => !lock.held() && stateVersion(stateDir, stateFile) !== version;
      try {
        const heal = { config, stateDir, logDir, env, signals, startedAt, firstRoundAt: at, accounts, claim };
        return await healAndReport(heal, { state, warning, uncached, options, stateFile, finish, superseded });
      } catch (error) {
        // Nothing was written or run yet: decide again, under the lock taken by this claim.
        if (error instanceof DecideAgain && attempt === 1) continue;
        throw error;
      }
    }
  } finally {
    signals.dispose();
    await lock.release();
  }
}

/** Thrown by the claim that takes the lock when the pass must decide again under it; the pass then runs again. */
class DecideAgain extends Error {}

/**
 * The pass lock, taken when the pass first needs it (take() is true for that call only) rather than when it starts:
 * a pass that finds nothing to restart and nothing new to record writes nothing, so it needs no lock, and does not
 * fork flock(1). Throws PassBusyError when another pass holds it.
 */
function lockOnFirstWrite(stateDir: string): { held: () => boolean; take: () => Promise<boolean>; release: () => Promise<void> } {
  let lock: Lock | undefined;
  let taking: Promise<Lock> | undefined;
  return {
    held: () => lock !== undefined,
    take: async () => {
      const first = taking === undefined;
      taking ??= acquireLock(stateDir).then((held) => {
        if (!held) throw new PassBusyError(stateDir);
        lock = held;
        return held;
      });
      await taking;
      return first;
    },
    release: async () => lock?.release(),
  };
}

/** The rounds, the report and what it publishes, on one reading of the history; every write claims the lock first. */
async function healAndReport(
  ctx: Omit<RunContext, 'warnings' | 'convergeMs' | 'save'> & { firstRoundAt: number },
  pass: {
    state: State;
    warning: string | undefined;
    uncached: CacheKey | undefined;
    options: CliOptions;
    stateFile: string;
    finish: (plan: Plan, results: ReadonlyMap<string, RestartResult>, extra: Pick<PassReport, 'warnings' | 'interrupted' | 'unsaved'>) => PassReport;
    superseded: () => boolean;
  },
): Promise<PassReport> {
  const { config, stateDir, signals, firstRoundAt: at, claim } = ctx;
  const { state, options } = pass;
  if (pass.uncached) {
    await claim('write');
    writeConfigCache(stateDir, pass.uncached, config);
  }
  const warnings = pass.warning ? [pass.warning] : [];
  const saver = stateSaver(stateDir, pass.stateFile);
  const convergeMs = options.convergeMs ?? config.defaults.convergeMs;
  // The last history the rounds saved: what was told is recorded on top of it once the report is known.
  let saved = state;
  const save = async (next: State): Promise<void> => {
    await claim('write');
    saved = next;
    await saver.save(next);
  };
  const run = await healInRounds({ ...ctx, warnings, convergeMs, save }, state);
  const results = new Map([...run.restarts].map(([name, r]) => [name, r.result]));
  // A signal that arrived as the last script ended may still wait in this turn of the event loop: let it land.
  await new Promise((resolve) => setImmediate(resolve));
  const interrupted = signals.stopped();
  const unsaved = saver.failure();
  if (unsaved) warnings.push(`the restart history was not saved (${unsaved}): this pass's restarts and limits are not remembered`);
  const report = pass.finish(run.plan, results, { warnings, ...(interrupted ? { interrupted } : {}), ...(unsaved ? { unsaved } : {}) });
  // What changed since the last report is told once; the history remembers what was told.
  const changes = detectChanges(report, state, config.defaults.remindMs, at);
  const next = recordReported(saved, report, changes, at);
  if (JSON.stringify(next) !== JSON.stringify(saved)) await save(next);
  await publishPass({ report, changes, state: next, config, options, env: ctx.env, superseded: pass.superseded() });
  const told = { ...report, changes };
  return convergeMs > 0 ? attachRounds(told, run.restarts, run.timeline) : told;
}

/**
 * Saves the history, remembering the first failure instead of throwing: a full or read-only disk must not stop
 * the healing. The pass then still restarts, within the limits it read, and reports the failure (CRITICAL).
 */
function stateSaver(stateDir: string, file: string): { save: (state: State) => Promise<void>; failure: () => string | undefined } {
  let failure: string | undefined;
  return {
    save: (state) => writeState(stateDir, state, file).catch((e: unknown) => void (failure ??= messageOf(e))),
    failure: () => failure,
  };
}

/**
 * The config, from the cache when this build already parsed these very bytes; `uncached` is the key to store it
 * under when it had to be parsed. The file itself is always read and checked (ownership, size) first; it is
 * decoded only to be parsed (bytes a cache was made from decoded once already).
 */
export async function loadConfig(path: string, stateDir: string, uid: number): Promise<{ config: Config; uncached?: CacheKey }> {
  const bytes = await readConfigBytes(path, { requireRootOwned: uid === 0 });
  await tuneHeapFor(bytes.byteLength);
  const parse = (): Promise<Config> => parseConfigText(decodeConfigText(bytes, path), path);
  if (buildId === undefined) return { config: await parse() };
  const key = { build: buildId, path, bytes };
  const cached = readConfigCache(stateDir, key, uid === 0);
  return cached ? { config: cached } : { config: await parse(), uncached: key };
}

/** The saved history, with times a clock step left in the future brought back to now. */
export async function readHistory(stateDir: string, configPath: string, config: Config, now: number): Promise<{ state: State; warning?: string }> {
  const { state, warning } = await readConfigState(stateDir, configPath);
  return { state: clampToNow(state, config.services, now), ...(warning ? { warning } : {}) };
}
